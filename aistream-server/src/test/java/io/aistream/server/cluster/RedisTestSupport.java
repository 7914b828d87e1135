package io.aistream.server.cluster;

import io.aistream.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the raw RESP replies of {@link RedisServer#command} that these tests need. */
final class RedisTestSupport {
    private RedisTestSupport() {}

    /** The Redis server's clock in milliseconds ({@code TIME}), the clock its key expiry runs on. */
    static long serverMillis(RedisServer redis) {
        List<String> t = strings(command(redis, "TIME"));
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    /** The keys matching a pattern, sorted. */
    static List<String> keys(RedisServer redis, String pattern) {
        List<String> keys = strings(command(redis, "KEYS", pattern));
        keys.sort(null);
        return keys;
    }

    /** An integer reply, e.g. of {@code XLEN} or {@code PTTL}. */
    static long integer(RedisServer redis, String... args) {
        String reply = command(redis, args);
        if (!reply.startsWith(":")) {
            throw new IllegalStateException(String.join(" ", args) + " answered " + reply.strip());
        }
        return Long.parseLong(reply.substring(1).strip());
    }

    /** A bulk string reply, or null. */
    static String bulk(RedisServer redis, String... args) {
        List<String> s = strings(command(redis, args));
        return s.isEmpty() ? null : s.get(0);
    }

    static String command(RedisServer redis, String... args) {
        try {
            return redis.command(args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bulk strings of a flat RESP2 reply (an array of bulk strings, or one bulk string). */
    static List<String> strings(String reply) {
        if (reply.startsWith("-")) {
            throw new IllegalStateException("redis answered " + reply.strip());
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < reply.length()) {
            int eol = reply.indexOf("\r\n", i);
            String line = reply.substring(i, eol);
            i = eol + 2;
            if (line.startsWith("$")) {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    // RESP lengths count bytes: the tests only use ASCII keys and numbers
                    out.add(reply.substring(i, i + length));
                    i += length + 2;
                }
            }
        }
        return out;
    }
}
