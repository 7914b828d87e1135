package io.aistream.sse;

import io.aistream.sse.Recorder.Comment;
import io.aistream.sse.Recorder.Retry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A deliberately plain, string-based rendering of the WHATWG event stream interpretation, used as
 * the oracle for the property tests: decode the whole stream, split it into lines, and run the
 * field rules on each line.
 */
final class ReferenceInterpreter {
    private ReferenceInterpreter() {}

    /** What a listener would see for the complete stream {@code bytes}, in order. */
    static List<Object> interpret(byte[] bytes) {
        int start =
                bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                        ? 3
                        : 0;
        String text = Utf8.decodeExact(bytes, start, bytes.length - start);
        List<Object> log = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        String type = "";
        String lastId = "";
        Long blockRetry = null;
        int lineStart = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                i++;
                continue;
            }
            String line = text.substring(lineStart, i);
            i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
            lineStart = i;

            if (line.isEmpty()) {
                if (data.isEmpty()) {
                    type = "";
                } else {
                    data.setLength(data.length() - 1);
                    log.add(new SseEvent(
                            type.isEmpty() ? "message" : type,
                            data.toString(),
                            lastId,
                            blockRetry == null ? OptionalLong.empty() : OptionalLong.of(blockRetry)));
                    data.setLength(0);
                    type = "";
                }
                blockRetry = null;
                continue;
            }
            if (line.startsWith(":")) {
                log.add(new Comment(line.substring(1)));
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (name) {
                case "event" -> type = value;
                case "data" -> data.append(value).append('\n');
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastId = value;
                    }
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                        long millis = new BigInteger(value)
                                .min(BigInteger.valueOf(Long.MAX_VALUE))
                                .longValueExact();
                        blockRetry = millis;
                        log.add(new Retry(millis));
                    }
                }
                default -> {}
            }
        }
        return log;
    }
}
