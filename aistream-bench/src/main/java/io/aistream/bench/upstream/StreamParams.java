package io.aistream.bench.upstream;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * What one fake stream emits.
 *
 * <p>A request sets them, most specific first, from: the top-level object {@code aistream_bench}
 * ({@code {"chunks":100,"rate":20,"chunkSize":4,"ttftMs":0,"fault":"cut@50","tag":7}}); a suffix of the
 * model name after {@code @} ({@code "m@chunks=100,rate=20,chunkSize=4,fault=cut@50"}, for relays
 * that drop unknown fields but keep the model name); {@code max_tokens} /
 * {@code max_completion_tokens} for the chunk count; then the server's defaults.
 *
 * @param chunks    content chunks in the stream (one "token" each)
 * @param rate      content chunks per second; 0 sends them back to back
 * @param chunkSize characters of text after the {@link Stamp} in each delta
 * @param ttftMs    milliseconds before the first content chunk (after the role chunk)
 * @param fault     the scripted fault
 * @param tag       the client's name for the stream ({@code tag}, a number &gt;= 0), under which the
 *                  upstream logs when it saw the stream aborted (see {@link AbortLog}); -1 for none
 */
public record StreamParams(int chunks, double rate, int chunkSize, long ttftMs, Fault fault, long tag) {
    public static final StreamParams DEFAULTS = new StreamParams(100, 20, 4, 0, Fault.NONE);
    static final int MAX_CHUNKS = 10_000_000;
    static final int MAX_CHUNK_SIZE = 60_000;

    public StreamParams {
        if (chunks < 0 || chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks must be within 0.." + MAX_CHUNKS + ": " + chunks);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a number >= 0 (0 = unpaced): " + rate);
        }
        if (chunkSize < 0 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize must be within 0.." + MAX_CHUNK_SIZE + ": " + chunkSize);
        }
        if (ttftMs < 0) {
            throw new IllegalArgumentException("ttftMs must be >= 0: " + ttftMs);
        }
        java.util.Objects.requireNonNull(fault, "fault");
        if (tag < -1) {
            throw new IllegalArgumentException("tag must be >= 0: " + tag);
        }
    }

    /** Untagged parameters. */
    public StreamParams(int chunks, double rate, int chunkSize, long ttftMs, Fault fault) {
        this(chunks, rate, chunkSize, ttftMs, fault, -1);
    }

    public StreamParams withChunks(int n) {
        return new StreamParams(n, rate, chunkSize, ttftMs, fault, tag);
    }

    public StreamParams withRate(double r) {
        return new StreamParams(chunks, r, chunkSize, ttftMs, fault, tag);
    }

    public StreamParams withChunkSize(int n) {
        return new StreamParams(chunks, rate, n, ttftMs, fault, tag);
    }

    public StreamParams withTtftMs(long ms) {
        return new StreamParams(chunks, rate, chunkSize, ms, fault, tag);
    }

    public StreamParams withFault(Fault f) {
        return new StreamParams(chunks, rate, chunkSize, ttftMs, f, tag);
    }

    public StreamParams withTag(long t) {
        return new StreamParams(chunks, rate, chunkSize, ttftMs, fault, t);
    }

    /** Nanoseconds between content chunks; 0 when unpaced. */
    long intervalNanos() {
        return rate == 0 ? 0 : Math.max(1, Math.round(1e9 / rate));
    }

    /** The parameters a request body asks for, over {@code defaults}. */
    static StreamParams fromRequest(JsonNode body, StreamParams defaults) {
        StreamParams p = defaults;
        JsonNode maxTokens = body.get("max_completion_tokens");
        if (maxTokens == null || !maxTokens.isNumber()) {
            maxTokens = body.get("max_tokens");
        }
        if (maxTokens != null && maxTokens.isNumber()) {
            p = p.withChunks(maxTokens.asInt());
        }
        JsonNode model = body.get("model");
        if (model != null && model.isString()) {
            String m = model.stringValue();
            int at = m.indexOf('@');
            if (at >= 0) {
                for (String pair : m.substring(at + 1).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        p = with(
                                p,
                                pair.substring(0, eq).trim(),
                                pair.substring(eq + 1).trim());
                    }
                }
            }
        }
        JsonNode bench = body.get("aistream_bench");
        if (bench != null && bench.isObject()) {
            for (var e : bench.properties()) {
                JsonNode v = e.getValue();
                p = with(p, e.getKey(), v.isString() ? v.stringValue() : v.toString());
            }
        }
        return p;
    }

    private static StreamParams with(StreamParams p, String key, String value) {
        try {
            return switch (key.toLowerCase(Locale.ROOT)) {
                case "chunks", "tokens" -> p.withChunks(Integer.parseInt(value));
                case "rate" -> p.withRate(Double.parseDouble(value));
                case "chunksize", "chunk_size", "size" -> p.withChunkSize(Integer.parseInt(value));
                case "ttftms", "ttft_ms", "ttft" -> p.withTtftMs(Long.parseLong(value));
                case "fault" -> p.withFault(Fault.parse(value));
                case "tag" -> p.withTag(Long.parseLong(value));
                default ->
                    throw new IllegalArgumentException("unknown aistream_bench field '" + key
                            + "' (known: chunks, rate, chunkSize, ttftMs, fault, tag)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("aistream_bench." + key + " must be a number: " + value);
        }
    }
}
