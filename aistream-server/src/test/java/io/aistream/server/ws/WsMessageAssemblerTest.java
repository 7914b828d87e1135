package io.aistream.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.server.ws.WsMessageAssembler.Outcome;
import org.junit.jupiter.api.Test;

class WsMessageAssemblerTest {

    @Test
    void joinsPiecesAndCountsUtf8Bytes() {
        WsMessageAssembler a = new WsMessageAssembler(10);
        assertThat(a.add("ab", false)).isEqualTo(Outcome.MORE);
        assertThat(a.add("é😀", false)).isEqualTo(Outcome.MORE); // 2 + 4 bytes
        assertThat(a.heldBytes()).isEqualTo(8);
        assertThat(a.add("cd", true)).isEqualTo(Outcome.MESSAGE); // exactly 10
        assertThat(a.take()).isEqualTo("abé😀cd");
        assertThat(a.heldBytes()).isZero();
        assertThat(a.add("0123456789", true)).isEqualTo(Outcome.MESSAGE);
        assertThat(a.take()).isEqualTo("0123456789");
    }

    @Test
    void aMessagePastTheLimitIsRefusedOnceItsPiecesDroppedAndItsRestSkipped() {
        WsMessageAssembler a = new WsMessageAssembler(10);
        assertThat(a.add("012345", false)).isEqualTo(Outcome.MORE);
        assertThat(a.add("é", false)).isEqualTo(Outcome.MORE); // 8 bytes
        assertThat(a.add("éé", false)).isEqualTo(Outcome.TOO_LARGE); // would be 12
        assertThat(a.heldBytes()).isZero(); // never more than the limit held
        assertThat(a.add("x".repeat(1000), false)).isEqualTo(Outcome.SKIPPED);
        assertThat(a.heldBytes()).isZero();
        assertThat(a.add("end", true)).isEqualTo(Outcome.SKIPPED);
        // the next message is read normally
        assertThat(a.add("ok", true)).isEqualTo(Outcome.MESSAGE);
        assertThat(a.take()).isEqualTo("ok");
        // a single piece past the limit, ending its message: refused, nothing to skip after it
        assertThat(a.add("x".repeat(11), true)).isEqualTo(Outcome.TOO_LARGE);
        assertThat(a.add("ok", true)).isEqualTo(Outcome.MESSAGE);
    }
}
