package io.aistream.webflux;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the frames of one text message piece by piece: a character split across two frames is
 * carried over (at most 3 bytes), invalid UTF-8 fails. Used by one thread at a time.
 */
final class Utf8Fragments {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] carried = new byte[0];

    /** The text of one frame's payload; {@code last} on the message's final frame. */
    String decode(ByteBuffer payload, boolean last) throws CharacterCodingException {
        ByteBuffer input = payload;
        if (carried.length > 0) {
            input = ByteBuffer.allocate(carried.length + payload.remaining())
                    .put(carried)
                    .put(payload)
                    .flip();
        }
        CharBuffer out = CharBuffer.allocate(input.remaining() + 1); // UTF-8: never more chars than bytes
        CoderResult result = decoder.decode(input, out, last);
        if (result.isError()) {
            result.throwException();
        }
        if (last) {
            result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
            decoder.reset();
            carried = new byte[0];
        } else {
            carried = new byte[input.remaining()];
            input.get(carried);
        }
        return out.flip().toString();
    }
}
