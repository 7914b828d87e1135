package io.aistream.provider.gemini;

import io.aistream.chunk.FinishReason;
import java.util.Set;

/**
 * Gemini's {@code candidates[].finishReason} values mapped onto {@link FinishReason}.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>Gemini</th><th>aistream</th></tr>
 *   <tr><td>{@code STOP}</td><td>{@code stop} ({@code tool_calls} when the turn made function calls)</td></tr>
 *   <tr><td>{@code MAX_TOKENS}</td><td>{@code length}</td></tr>
 *   <tr><td>{@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT}, {@code SPII},
 *       {@code IMAGE_SAFETY}, {@code IMAGE_PROHIBITED_CONTENT}, {@code IMAGE_RECITATION}, and any
 *       {@code promptFeedback.blockReason}</td><td>{@code content_filter}</td></tr>
 *   <tr><td>anything else ({@code LANGUAGE}, {@code OTHER}, {@code MALFORMED_FUNCTION_CALL}, ...)</td>
 *       <td>{@code other}</td></tr>
 * </table>
 */
final class GeminiFinishReasons {
    private static final Set<String> CONTENT_FILTER = Set.of(
            "SAFETY",
            "RECITATION",
            "BLOCKLIST",
            "PROHIBITED_CONTENT",
            "SPII",
            "IMAGE_SAFETY",
            "IMAGE_PROHIBITED_CONTENT",
            "IMAGE_RECITATION");

    private GeminiFinishReasons() {}

    /** The mapped reason of one {@code finishReason} value (before the tool-call rule). */
    static FinishReason map(String geminiReason) {
        if ("STOP".equals(geminiReason)) {
            return FinishReason.STOP;
        }
        if ("MAX_TOKENS".equals(geminiReason)) {
            return FinishReason.LENGTH;
        }
        return CONTENT_FILTER.contains(geminiReason) ? FinishReason.CONTENT_FILTER : FinishReason.OTHER;
    }
}
