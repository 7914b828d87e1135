package io.aistream.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.DecoderContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A rough single-core throughput figure for the Chat decoder on typical OpenAI text chunks (~250-byte
 * {@code data:} events). Opt-in ({@code -Daistream.perf=true}); the real benchmarks are JMH.
 */
@EnabledIfSystemProperty(named = "aistream.perf", matches = "true")
class OpenAiChatDecoderThroughputTest {
    private static final String EVENT = "data: {\"id\":\"chatcmpl-Bx7kQ2v9TnR4mWp1sLc8aZyE3fHdJ\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1754380801,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" help\"},"
            + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"EL4VS\"}\n\n";
    private static final int EVENTS_PER_BODY = 1_000;

    private long chunks;

    @Test
    void reportsFullDecodeThroughputOnTypicalTextChunks() {
        byte[] body = EVENT.repeat(EVENTS_PER_BODY).getBytes(StandardCharsets.UTF_8);
        Consumer<StreamChunk> sink = c -> chunks++;
        OpenAiChatProtocol protocol = new OpenAiChatProtocol();
        DecoderContext context = new DecoderContext("openai", "gpt-4o-mini");
        for (int warm = 0; warm < 3_000; warm++) {
            protocol.newDecoder(context).feed(body, 0, body.length, sink);
        }
        int rounds = 5_000;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            var decoder = protocol.newDecoder(context);
            // 8 KiB reads, the usual body-subscriber buffer size
            for (int off = 0; off < body.length; off += 8192) {
                decoder.feed(body, off, Math.min(8192, body.length - off), sink);
            }
        }
        long nanos = System.nanoTime() - start;
        double perEvent = (double) nanos / ((long) rounds * EVENTS_PER_BODY);
        System.out.printf("openai-chat decode: %.0f ns/event (%d-byte events), %.2f M events/s%n", perEvent,
                EVENT.length(), 1_000.0 / perEvent);
        assertThat(chunks).isPositive();
    }

    @Test
    void reportsParseOnlyThroughputOnFramedData() {
        String data = EVENT.substring("data: ".length()).strip();
        Consumer<StreamChunk> sink = c -> chunks++;
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(new DecoderContext("openai", "gpt-4o-mini"));
        for (int warm = 0; warm < 3_000_000; warm++) {
            decoder.onData(data, sink);
        }
        int n = 5_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            decoder.onData(data, sink);
        }
        double perEvent = (double) (System.nanoTime() - start) / n;
        System.out.printf("openai-chat parse only: %.0f ns/event, %.2f M events/s%n", perEvent, 1_000.0 / perEvent);
        assertThat(chunks).isPositive();
    }
}
