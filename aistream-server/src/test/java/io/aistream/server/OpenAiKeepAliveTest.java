package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One HTTP chunk (one flush) per chat.completion.chunk event, and keep-alive comments on a virtual clock. */
@Timeout(30)
class OpenAiKeepAliveTest {

    @Test
    void oneFlushPerEventAndKeepAlivesWhileSilent() throws Exception {
        VirtualTimeSource clock = new VirtualTimeSource();
        try (TestGateway gateway = TestGateway.start(b -> b.timeSource(clock));
                RawHttp http = RawHttp.postJson(
                        gateway.port(),
                        "/v1/chat/completions",
                        "{\"model\":\"test/script\","
                                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            var source = gateway.provider.nextSource();
            assertThat(http.nextHttpChunk())
                    .startsWith("data: {")
                    .endsWith("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");

            source.emit(ContentChunk.of("a"));
            assertThat(http.nextHttpChunk())
                    .contains("\"delta\":{\"content\":\"a\"}")
                    .endsWith("}]}\n\n");

            clock.advance(Duration.ofSeconds(15));
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");

            source.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(http.nextHttpChunk())
                    .contains("\"finish_reason\":\"stop\"")
                    .endsWith("}]}\n\n");
            assertThat(http.nextHttpChunk())
                    .contains("\"choices\":[],\"usage\":null}")
                    .endsWith("}\n\n");
            assertThat(http.nextHttpChunk()).isEqualTo("data: [DONE]\n\n");
            assertThat(http.nextHttpChunk()).isNull();
        }
    }
}
