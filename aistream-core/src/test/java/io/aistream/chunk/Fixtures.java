package io.aistream.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads chunk fixtures (one JSON chunk per line) from {@code src/test/resources/chunk/}. */
final class Fixtures {
    private Fixtures() {}

    static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/chunk/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<StreamChunk> chunks(String name) {
        return lines(name).stream().map(ChunkJson::parse).toList();
    }

    /** JSON written with single quotes for readability: every ' becomes ". */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
