package io.aistream.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the OpenAI Responses endpoint ({@code POST /v1/responses}) keeps of the responses it answered, so that
 * {@code item_reference} input items, {@code previous_response_id} and {@code GET /v1/responses/{id}} work
 * (OpenAI's default {@code store: true}): completed responses, their input and output items, per API key,
 * in memory on this node.
 *
 * @param maxBytes    bytes the kept responses may take in all (their JSON text); the oldest are evicted first
 *                    beyond it. At most a quarter of the gateway's memory budget is used, whatever this says
 * @param perKeyBytes bytes one key's kept responses may take; 0 = half of {@code maxBytes} when API keys are
 *                    configured, all of it without keys (one caller)
 * @param ttl         how long a kept response stays retrievable after it completed
 */
public record ResponseStoreConfig(long maxBytes, long perKeyBytes, Duration ttl) {
    /** 16 MiB in all. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    /** One hour: a chat's next turn refers back to the assistant's earlier items. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public ResponseStoreConfig {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("responses store maxBytes must be positive: " + maxBytes);
        }
        if (perKeyBytes < 0 || perKeyBytes > maxBytes) {
            throw new IllegalArgumentException(
                    "responses store perKeyBytes must be between 0 and maxBytes (" + maxBytes + "): " + perKeyBytes);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("responses store ttl must be positive: " + ttl);
        }
    }

    /** 16 MiB, the per-key share derived, one hour. */
    public static ResponseStoreConfig defaults() {
        return new ResponseStoreConfig(DEFAULT_MAX_BYTES, 0, DEFAULT_TTL);
    }

    /** The bytes the store may take: {@code maxBytes}, at most a quarter of the memory {@code budget}. */
    public long resolveMax(long budget) {
        return Math.max(1, Math.min(maxBytes, budget / 4));
    }

    /** The bytes one key may take, for a resolved {@code max}. */
    public long resolvePerKey(long max, boolean keysConfigured) {
        if (perKeyBytes > 0) {
            return Math.min(perKeyBytes, max);
        }
        return keysConfigured ? Math.max(1, max / 2) : max;
    }
}
