package io.aistream.chunk;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Seeded random chunks of every variant (unknown types included), with hostile strings, for
 * round-trip properties.
 */
final class RandomChunks {
    private static final String[] WORDS = {"Hel", "lo", " ", "world", "{\"city\":", "\"Paris\"}", "/", "</script>"};

    private final SplittableRandom random;

    RandomChunks(long seed) {
        this.random = new SplittableRandom(seed);
    }

    StreamChunk chunk() {
        String id = random.nextInt(10) == 0 ? text() : "st_" + random.nextInt(1000);
        long seq = number();
        return switch (random.nextInt(6)) {
            case 0 -> new ContentChunk(id, seq, text(), state());
            case 1 -> new ReasoningChunk(id, seq, text(), state());
            case 2 ->
                new ToolCallChunk(
                        id,
                        seq,
                        new ToolCallDelta(
                                random.nextInt(0, Integer.MAX_VALUE),
                                maybe(),
                                maybe(),
                                random.nextBoolean() ? "" : text()),
                        state());
            case 3 ->
                new ErrorChunk(
                        id,
                        seq,
                        new ChunkError(
                                text(),
                                text(),
                                random.nextBoolean(),
                                maybe(),
                                random.nextBoolean()
                                        ? OptionalInt.of(random.nextInt(0, Integer.MAX_VALUE))
                                        : OptionalInt.empty()));
            case 5 -> unknown(id, seq);
            default ->
                new DoneChunk(
                        id,
                        seq,
                        FinishReason.values()[random.nextInt(FinishReason.values().length)],
                        random.nextBoolean() ? Optional.of(usage()) : Optional.empty(),
                        maybe(),
                        maybe(),
                        maybe(),
                        maybe(),
                        random.nextBoolean() ? 0 : number(),
                        random.nextBoolean(),
                        cost());
        };
    }

    private Optional<ReasoningState> state() {
        if (random.nextInt(3) != 0) {
            return Optional.empty();
        }
        String source = random.nextBoolean() ? ReasoningState.ANTHROPIC : "s" + text().replace(" ", "") + "x";
        return Optional.of(new ReasoningState(source, maybe(), maybe(), maybe(), maybe()));
    }

    private Usage usage() {
        return random.nextBoolean()
                ? new Usage(number(), number(), number())
                : new Usage(number(), number(), number(), number(), number(), number());
    }

    private Optional<java.math.BigDecimal> cost() {
        return switch (random.nextInt(4)) {
            case 0 -> Optional.of(new java.math.BigDecimal("0.00000012"));
            case 1 ->
                Optional.of(java.math.BigDecimal.valueOf(random.nextLong(0, 1_000_000_000L), random.nextInt(0, 12)));
            default -> Optional.empty();
        };
    }

    /** A chunk of a type from a "newer server": random fields, nested values, numbers in every notation. */
    private UnknownChunk unknown(String id, long seq) {
        String wireType = random.nextBoolean() ? "citation" : "x_" + text();
        if (ChunkType.fromWire(wireType).isPresent()) {
            wireType = "x_" + wireType;
        }
        StringBuilder fields = new StringBuilder("{");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                fields.append(',');
            }
            // known field names too: in an unknown chunk they are just data
            String name = switch (random.nextInt(4)) {
                case 0 -> "delta";
                case 1 -> "toolCall";
                // Jackson's UTF-8 parser refuses an escaped lone surrogate in a name (not in a value)
                default -> "f" + i + text().replaceAll("[\\x{D800}-\\x{DFFF}]", "");
            };
            fields.append(quoted(name)).append(':').append(value(2));
        }
        return new UnknownChunk(id, seq, wireType, fields.append('}').toString());
    }

    private String value(int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> quoted(text());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> random.nextBoolean() ? "1.50" : "-0.0";
            case 3 -> random.nextBoolean() ? "1e5" : "2.5E-300";
            case 4 -> "123456789012345678901234567890";
            case 5 -> random.nextBoolean() ? "true" : "null";
            case 6 -> "false";
            case 7 -> "[" + value(depth - 1) + "," + value(depth - 1) + "]";
            default -> "{\"k\":" + value(depth - 1) + ",\"delta\":" + value(depth - 1) + "}";
        };
    }

    private static String quoted(String s) {
        return io.aistream.json.Jackson.mapper().writeValueAsString(s);
    }

    private Optional<String> maybe() {
        return random.nextBoolean() ? Optional.of(text()) : Optional.empty();
    }

    private long number() {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(100);
            case 2 -> Long.MAX_VALUE - random.nextInt(3);
            default -> random.nextLong(0, Long.MAX_VALUE);
        };
    }

    /** A string mixing plain words, escapes, multi-byte UTF-8, emoji and lone surrogates. */
    String text() {
        int parts = random.nextInt(10) == 0 ? random.nextInt(50, 300) : random.nextInt(0, 8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(12)) {
                case 0 -> sb.append(WORDS[random.nextInt(WORDS.length)]);
                case 1 -> sb.append((char) random.nextInt(0, 0x20));
                case 2 -> sb.append(random.nextBoolean() ? '"' : '\\');
                case 3 -> sb.append((char) random.nextInt(0x20, 0x80));
                case 4 -> sb.append((char) random.nextInt(0x80, 0x800));
                case 5 -> sb.append((char) random.nextInt(0x800, 0xD800));
                case 6 -> sb.append((char) random.nextInt(0xE000, 0x10000));
                case 7 -> sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 8 -> sb.appendCodePoint(0x1F600 + random.nextInt(80));
                case 9 -> sb.append((char) random.nextInt(0xD800, 0xDC00)); // high surrogate, maybe lone
                case 10 -> sb.append((char) random.nextInt(0xDC00, 0xE000)); // low surrogate, maybe lone
                default -> sb.append(random.nextBoolean() ? "\u2028\u2029" : "\u007f\u0080\u07ff\u0800\uffff");
            }
        }
        return sb.toString();
    }
}
