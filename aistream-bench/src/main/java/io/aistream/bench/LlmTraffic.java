package io.aistream.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Realistic LLM streaming traffic for benchmarks: many small OpenAI-style {@code data:} events. */
final class LlmTraffic {
    private static final String[] WORDS = {
        "the",
        " model",
        " streams",
        " tokens",
        ",",
        " one",
        " by",
        " one",
        ".",
        " Über",
        " naïve",
        " 東京",
        " ✓",
        " answer",
        " is",
        " 42",
        "\\n",
        " and",
        " that",
        "'s",
        " all",
        " \\\"quoted\\\"",
    };

    private LlmTraffic() {}

    /** About {@code targetBytes} of OpenAI Chat Completions SSE: one content delta per event. */
    static byte[] openAiChatSse(int targetBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(targetBytes + 512);
        int i = 0;
        while (out.size() < targetBytes) {
            String word = WORDS[random.nextInt(WORDS.length)];
            String event = "data: {\"id\":\"chatcmpl-9xYz8AbCdEfGhIjK\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1732406400,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"logprobs\":null,"
                    + "\"finish_reason\":null}]}\n\n";
            out.writeBytes(event.getBytes(StandardCharsets.UTF_8));
            if (++i % 50 == 0) {
                out.writeBytes(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
