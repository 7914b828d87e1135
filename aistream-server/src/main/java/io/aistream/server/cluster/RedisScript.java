package io.aistream.server.cluster;

/**
 * The Lua scripts that change a stream's keys atomically. Each one reads the Redis server's clock
 * ({@code TIME}), so every node agrees on lease deadlines however their own clocks drift.
 */
enum RedisScript {
    /**
     * Registers a stream. KEYS: meta, chunks, text, gone, leases. ARGV: owner, node, resumable (1/0),
     * request JSON, provider, model, lease ms, max age ms, stream id. Returns 1, or 0 if the id exists.
     */
    CREATE(Clock.NOW + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
            redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'node', ARGV[2], 'epoch', '1', 'resumable', ARGV[3],
                'req', ARGV[4], 'provider', ARGV[5], 'model', ARGV[6], 'last', '-1', 'oldest', '0', 'bytes', '0',
                'done', '0')
            if ARGV[3] == '1' then
              redis.call('PEXPIRE', KEYS[1], ARGV[8])
              redis.call('ZADD', KEYS[5], now + tonumber(ARGV[7]), ARGV[9])
            else
              redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[7]))
            end
            return 1
            """),

    /**
     * Appends one chunk if the caller still holds the stream. KEYS: meta, chunks, text, gone, leases.
     * ARGV: epoch, seq, chunk JSON, max chunks, max bytes, text delta, tool call (1/0), done (1/0), ttl ms,
     * max age ms (set on the first chunk; the renewals keep it), gone ms, max text bytes, stream id. Returns {0, oldest} when appended; {-1} fenced (another
     * node holds it), {-2} unknown (expired), {-3} finished, {-4, last} out of order.
     */
    APPEND("""
            local meta = redis.call('HMGET', KEYS[1], 'epoch', 'last', 'done', 'oldest', 'bytes', 'owner', 'notext')
            if not meta[1] then return {-2} end
            if meta[1] ~= ARGV[1] then return {-1} end
            if meta[3] == '1' then return {-3} end
            local seq = tonumber(ARGV[2])
            local last = tonumber(meta[2])
            if seq ~= last + 1 then return {-4, last} end
            redis.call('XADD', KEYS[2], '0-' .. string.format('%d', seq + 1), 'c', ARGV[3])
            local bytes = tonumber(meta[5]) + string.len(ARGV[3])
            local oldest = tonumber(meta[4])
            local maxChunks = tonumber(ARGV[4])
            local maxBytes = tonumber(ARGV[5])
            while seq - oldest + 1 > 1 and (seq - oldest + 1 > maxChunks or bytes > maxBytes) do
              local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
              bytes = bytes - string.len(first[1][2][2])
              redis.call('XDEL', KEYS[2], first[1][1])
              oldest = oldest + 1
            end
            redis.call('HSET', KEYS[1], 'last', string.format('%d', seq), 'oldest', string.format('%d', oldest),
                'bytes', string.format('%d', bytes))
            if ARGV[6] ~= '' and meta[7] ~= '1' then
              if redis.call('STRLEN', KEYS[3]) + string.len(ARGV[6]) > tonumber(ARGV[12]) then
                redis.call('DEL', KEYS[3])
                redis.call('HSET', KEYS[1], 'notext', '1')
              elseif redis.call('APPEND', KEYS[3], ARGV[6]) == string.len(ARGV[6]) then
                redis.call('PEXPIRE', KEYS[3], ARGV[10]) -- new: give it the max age the renewals keep
              end
            end
            if ARGV[7] == '1' then redis.call('HSET', KEYS[1], 'tools', '1') end
            if ARGV[8] == '1' then
              redis.call('HSET', KEYS[1], 'done', '1')
              redis.call('PEXPIRE', KEYS[1], ARGV[9])
              redis.call('PEXPIRE', KEYS[2], ARGV[9])
              redis.call('DEL', KEYS[3])
              redis.call('SET', KEYS[4], meta[6], 'PX', ARGV[11])
              redis.call('ZREM', KEYS[5], ARGV[13])
            elseif seq == 0 then
              redis.call('PEXPIRE', KEYS[2], ARGV[10]) -- later appends leave the max age to the renewals
            end
            return {0, oldest}
            """),

    /**
     * Renews a node's claim on a stream it produces, its slot in the owner's limit, and the max age of its
     * keys. KEYS: meta, leases, limit, chunks, text. ARGV: epoch, lease ms, stream id, max age ms. Returns 1
     * renewed, 0 finished or gone, -1 fenced.
     */
    RENEW(Clock.NOW + """
            local meta = redis.call('HMGET', KEYS[1], 'epoch', 'done', 'resumable')
            if meta[1] and meta[1] ~= ARGV[1] then return -1 end
            local deadline = now + tonumber(ARGV[2])
            if redis.call('ZSCORE', KEYS[3], ARGV[3]) then
              redis.call('ZADD', KEYS[3], deadline, ARGV[3])
              redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[2]))
            end
            if not meta[1] or meta[2] == '1' then return 0 end
            if meta[3] == '1' then
              redis.call('ZADD', KEYS[2], deadline, ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              redis.call('PEXPIRE', KEYS[4], ARGV[4])
              redis.call('PEXPIRE', KEYS[5], ARGV[4])
            else
              redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
            end
            return 1
            """),

    /** The ids of streams whose lease has expired. KEYS: leases. ARGV: how many at most. */
    EXPIRED(Clock.NOW + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            """),

    /**
     * Takes over a stream whose lease has expired; exactly one caller wins. KEYS: leases, meta, text.
     * ARGV: stream id, node, lease ms. Returns {0} when the lease is not expired (or the stream is gone or
     * done), else {1, epoch, last, owner, request, provider, model, tools, notext, aborted, previous node, text}.
     */
    TAKEOVER(Clock.NOW + """
            local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not score or tonumber(score) > now then return {0} end
            local m = redis.call('HMGET', KEYS[2], 'epoch', 'done', 'last', 'owner', 'req', 'provider', 'model',
                'tools', 'notext', 'aborted', 'node')
            if not m[1] or m[2] == '1' then
              redis.call('ZREM', KEYS[1], ARGV[1])
              return {0}
            end
            local epoch = redis.call('HINCRBY', KEYS[2], 'epoch', 1)
            redis.call('HSET', KEYS[2], 'node', ARGV[2])
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            local text = redis.call('GET', KEYS[3]) or ''
            return {1, epoch, m[3], m[4] or '', m[5] or '', m[6] or '', m[7] or '', m[8] or '0', m[9] or '0',
                m[10] or '0', m[11] or '', text}
            """),

    /**
     * Takes a slot in an owner's per-key limit. KEYS: limit. ARGV: stream id, limit, lease ms.
     * Returns 1 granted (or already held), 0 at the limit.
     */
    ACQUIRE(Clock.NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[3]))
            return 1
            """),

    /**
     * Gives a stream's lease up so that another node takes it over at its next look (a graceful stop).
     * KEYS: meta, leases. ARGV: epoch, stream id. Returns 1 if released.
     */
    RELEASE("""
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'done')
            if m[1] ~= ARGV[1] or m[2] == '1' then return 0 end
            redis.call('ZADD', KEYS[2], 0, ARGV[2])
            return 1
            """),

    /** Deletes a key if it holds a value. KEYS: the key. ARGV: the value. Returns 1 if deleted. */
    DELETE_IF("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """),

    /**
     * Marks a running stream aborted (so that a takeover ends it instead of continuing it). KEYS: meta.
     * Returns {1, node, resumable} for a running stream, {0} otherwise.
     */
    MARK_ABORTED("""
            local m = redis.call('HMGET', KEYS[1], 'done', 'node', 'resumable')
            if not m[1] or m[1] == '1' then return {0} end
            redis.call('HSET', KEYS[1], 'aborted', '1')
            return {1, m[2] or '', m[3] or '0'}
            """);

    private final String source;

    RedisScript(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** Holds the clock prelude (a nested class, so that the constants above may use it). */
    private static final class Clock {
        /** Sets {@code now}: the Redis server's time in milliseconds. */
        static final String NOW = """
                local t = redis.call('TIME')
                local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
                """;
    }
}
