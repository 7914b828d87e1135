package io.aistream.provider.anthropic;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Endpoints;
import io.aistream.provider.support.Json;
import io.aistream.request.ChatRequest;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Anthropic Messages API, protocol id {@value #ID}: {@code POST {baseUrl}/v1/messages} with
 * {@code "stream": true}, read by {@link AnthropicDecoder}.
 *
 * <p><b>Headers.</b> {@code x-api-key} from {@link ProviderConfig#apiKey()} (omitted when none is
 * configured, e.g. behind a gateway that adds it), {@code anthropic-version: 2023-06-01} (setting
 * {@code anthropic-version} overrides it), {@code anthropic-beta} when that setting is present.
 *
 * <p><b>Request mapping.</b>
 * <ul>
 *   <li>{@code system} → top-level {@code system}; messages → {@code messages} with text and image
 *       blocks (base64 source for inline data and {@code data:…;base64,} URLs, url source otherwise);
 *       an assistant turn's parts in order: reasoning signed by a Claude platform
 *       ({@link io.aistream.chunk.ReasoningState#CLAUDE_SOURCES}) → {@code thinking} blocks
 *       ({@code thinking}, {@code signature}) or {@code redacted_thinking} blocks ({@code data}),
 *       other reasoning dropped; text → {@code text} blocks (empty runs left out); tool calls →
 *       {@code tool_use} blocks. Tool results → {@code tool_result} blocks
 *       ({@code is_error} when set) in a user turn. Consecutive turns of one role are merged into one
 *       message, as Anthropic wants all results of a turn together; an assistant turn that maps to
 *       no block is left out.</li>
 *   <li>tools → {@code tools[{name, description, input_schema}]}; tool choice auto / none /
 *       required / a tool → {@code {type: auto | none | any | tool}}.</li>
 *   <li>temperature → {@code temperature}, topP → {@code top_p}, stop sequences →
 *       {@code stop_sequences}, provider options → top-level fields (they win over mapped ones).</li>
 *   <li>maxOutputTokens → {@code max_tokens}. Anthropic requires it: without one,
 *       {@value AnthropicRequestMapper#DEFAULT_MAX_TOKENS} is sent, or thinking budget +
 *       {@value AnthropicRequestMapper#DEFAULT_MAX_TOKENS} when the budget would not fit below that.</li>
 *   <li>Reasoning → {@code thinking: {type: enabled, budget_tokens}}. A budget is sent as given (it must
 *       be below maxOutputTokens, else {@link io.aistream.provider.spi.UnsupportedOptionException}). An
 *       effort becomes a budget: minimal 1024, low 2048, medium 8192, high 16384 tokens, capped at
 *       maxOutputTokens − 1 (an effort with maxOutputTokens ≤ 1024 cannot be expressed and is
 *       rejected).</li>
 *   <li>A trailing assistant message is continued by the model (assistant prefill).</li>
 * </ul>
 *
 * <p><b>Finish reasons.</b> {@code end_turn}, {@code stop_sequence} → stop; {@code max_tokens},
 * {@code model_context_window_exceeded} → length; {@code tool_use} → tool_calls; {@code refusal} →
 * content_filter; {@code pause_turn} and anything else → other; an {@code error} event → error.
 *
 * <p><b>Errors.</b> A non-2xx body {@code {"type":"error","error":{"type","message"}}} becomes a
 * {@link ProviderHttpException} carrying the error type, the {@code request-id} header and any
 * {@code retry-after}/{@code retry-after-ms} hint (529 and {@code overloaded_error} are retryable).
 *
 * <p>Stateless and thread-safe.
 */
public final class AnthropicProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "anthropic";
    /** The API version sent unless the {@code anthropic-version} setting says otherwise. */
    public static final String API_VERSION = "2023-06-01";

    private final Clock clock;

    /** The protocol, reading {@code Retry-After} dates against the system clock. */
    public AnthropicProtocol() {
        this(Clock.systemUTC());
    }

    AnthropicProtocol(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        byte[] body = Json.MAPPER.writeValueAsBytes(new AnthropicRequestMapper(config.name()).toJson(request));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("accept", List.of("text/event-stream"));
        headers.put(
                "anthropic-version", List.of(config.setting("anthropic-version").orElse(API_VERSION)));
        config.setting("anthropic-beta").ifPresent(beta -> headers.put("anthropic-beta", List.of(beta)));
        config.apiKey().ifPresent(key -> headers.put("x-api-key", List.of(key)));
        return new UpstreamRequest(Endpoints.append(config.baseUrl(), "/v1/messages"), headers, body);
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new AnthropicDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return AnthropicErrors.httpError(status, headers, body, config, clock);
    }

    /** Anthropic continues a trailing assistant message. */
    @Override
    public boolean supportsAssistantPrefill() {
        return true;
    }
}
