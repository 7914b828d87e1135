package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.bench.http.ChunkedDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
    private static final byte[] BODY =
            "5\r\nhello\r\n00000B;ext=1\r\n, chunked w\r\n3\r\norl\r\n1\r\nd\r\n0\r\nX-T: 1\r\n\r\nNEXT"
                    .getBytes(StandardCharsets.US_ASCII);

    @Test
    void everySplitGivesTheSameBodyAndStopsAtItsEnd() throws IOException {
        for (int split = 0; split <= BODY.length; split++) {
            ChunkedDecoder d = new ChunkedDecoder();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int used = d.feed(BODY, 0, split, out::write);
            used += d.feed(BODY, split, BODY.length - split, out::write);

            assertThat(out.toString(StandardCharsets.US_ASCII))
                    .as("split %d", split)
                    .isEqualTo("hello, chunked world");
            assertThat(d.done()).isTrue();
            assertThat(used).isEqualTo(BODY.length - 4);
        }
    }

    @Test
    void malformedSizeIsAnError() {
        ChunkedDecoder d = new ChunkedDecoder();
        byte[] bad = "zz\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> d.feed(bad, 0, bad.length, (b, o, l) -> {})).isInstanceOf(IOException.class);
    }
}
