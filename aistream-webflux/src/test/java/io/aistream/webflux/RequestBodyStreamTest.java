package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.server.http.BadHttpRequestException;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;

/** The body bridge: one buffer requested at a time, every buffer it took released. */
class RequestBodyStreamTest {
    private final NettyDataBufferFactory factory = new NettyDataBufferFactory(new UnpooledByteBufAllocator(false));

    private List<NettyDataBuffer> buffers(String... pieces) {
        List<NettyDataBuffer> list = new ArrayList<>();
        for (String p : pieces) {
            list.add(factory.wrap(
                    factory.getByteBufAllocator().buffer().writeBytes(p.getBytes(StandardCharsets.UTF_8))));
        }
        return list;
    }

    @Test
    void readsEveryBufferOneByOneAndReleasesThem() throws IOException {
        List<NettyDataBuffer> pieces = buffers("ab", "cde", "f");
        AtomicLong requested = new AtomicLong();
        Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.fromIterable(pieces)
                .cast(org.springframework.core.io.buffer.DataBuffer.class)
                .doOnRequest(requested::addAndGet);
        try (RequestBodyStream in = new RequestBodyStream(body, 0, Duration.ZERO)) {
            assertThat(in.read()).isEqualTo('a');
            assertThat(requested.get()).isEqualTo(1);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bcdef");
        }
        assertThat(pieces)
                .allSatisfy(b -> assertThat(b.getNativeBuffer().refCnt()).isZero());
    }

    @Test
    void closeReleasesTheBufferBeingReadAndCancels() throws IOException {
        List<NettyDataBuffer> pieces = buffers("abc", "def");
        AtomicLong requested = new AtomicLong();
        boolean[] cancelled = {false};
        Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.fromIterable(pieces)
                .cast(org.springframework.core.io.buffer.DataBuffer.class)
                .doOnRequest(requested::addAndGet)
                .doOnCancel(() -> cancelled[0] = true);
        RequestBodyStream in = new RequestBodyStream(body, 0, Duration.ZERO);
        assertThat(in.read()).isEqualTo('a');
        in.close();
        assertThat(pieces.get(0).getNativeBuffer().refCnt()).isZero();
        assertThat(requested.get()).isEqualTo(1); // the second buffer was never asked for
        assertThat(cancelled[0]).isTrue();
    }

    @Test
    void aFailedBodyIsTheClientsBadRequest() {
        Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.error(new IOException("broken framing"));
        RequestBodyStream in = new RequestBodyStream(body, 0, Duration.ZERO);
        assertThatThrownBy(in::read)
                .isInstanceOf(BadHttpRequestException.class)
                .satisfies(
                        e -> assertThat(((BadHttpRequestException) e).status()).isEqualTo(400));
    }
}
