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

@Timeout(30)
class KeepAliveTest {

    @Test
    void keepAliveCommentAfterFifteenSecondsOfSilenceOnAVirtualClock() throws Exception {
        VirtualTimeSource clock = new VirtualTimeSource();
        try (TestGateway gateway = TestGateway.start(b -> b.timeSource(clock));
                RawHttp http = gateway.stream("")) {
            var source = gateway.provider.nextSource();
            assertThat(http.nextHttpChunk()).isEqualTo("retry: 3000\n\n");

            source.emit(ContentChunk.of("a"));
            assertThat(http.nextHttpChunk()).startsWith("id: 0\n");

            clock.advance(Duration.ofSeconds(14));
            source.emit(ContentChunk.of("b")); // 14 s of silence: no keep-alive came before this chunk
            assertThat(http.nextHttpChunk()).startsWith("id: 1\n");

            clock.advance(Duration.ofSeconds(14)); // 14 s since chunk 1
            clock.advance(Duration.ofSeconds(1)); // 15 s
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");

            clock.advance(Duration.ofSeconds(15)); // 15 s since the keep-alive
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");

            source.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(http.nextHttpChunk()).startsWith("id: 2\n");
            assertThat(http.nextHttpChunk()).isEqualTo("data: [DONE]\n\n");
            assertThat(http.nextHttpChunk()).isNull();
        }
    }

    @Test
    void keepAliveIntervalIsConfigurable() throws Exception {
        VirtualTimeSource clock = new VirtualTimeSource();
        try (TestGateway gateway =
                        TestGateway.start(b -> b.timeSource(clock).keepAliveInterval(Duration.ofSeconds(2)));
                RawHttp http = gateway.stream("")) {
            var source = gateway.provider.nextSource();
            assertThat(http.nextHttpChunk()).isEqualTo("retry: 3000\n\n");
            clock.advance(Duration.ofSeconds(2));
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");
            source.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(http.nextHttpChunk()).startsWith("id: 0\n");
        }
    }
}
