package io.aistream.server.cluster;

/**
 * The names of every Redis key and channel the gateway uses, under one prefix. A stream's keys share
 * the hash tag {@code {streamId}}, so one stream's keys live in one slot.
 *
 * <ul>
 *   <li>{@code <p>{id}:m} — hash: owner, node, epoch (the fencing token), resumable, the request,
 *       last/oldest seq, bytes kept, done, tools, aborted;</li>
 *   <li>{@code <p>{id}:c} — the Redis Stream of chunks, entry id {@code 0-(seq+1)}, field {@code c} = the chunk's JSON;</li>
 *   <li>{@code <p>{id}:t} — the text sent so far (what a takeover continues from);</li>
 *   <li>{@code <p>{id}:x} — after expiry: the owner, so that a late resume gets 204 rather than 404;</li>
 *   <li>{@code <p>leases} — sorted set of running resumable streams by lease deadline (Redis time, ms);</li>
 *   <li>{@code <p>limit:<principal>} — sorted set of one key's running streams by lease deadline;</li>
 *   <li>{@code <p>chat:<principal>:<chatId>} — the AI SDK chat's current stream;</li>
 *   <li>{@code <p>node:<nodeId>:wake} — a tiny stream that wakes the node's blocked reader;</li>
 *   <li>{@code <p>abort} — the pub/sub channel of abort requests.</li>
 * </ul>
 */
record RedisKeys(String prefix) {

    String meta(String streamId) {
        return prefix + "{" + streamId + "}:m";
    }

    String chunks(String streamId) {
        return prefix + "{" + streamId + "}:c";
    }

    String text(String streamId) {
        return prefix + "{" + streamId + "}:t";
    }

    String gone(String streamId) {
        return prefix + "{" + streamId + "}:x";
    }

    String leases() {
        return prefix + "leases";
    }

    String limit(String principal) {
        return prefix + "limit:" + principal;
    }

    String chat(String principal, String chatId) {
        return prefix + "chat:" + principal.length() + ":" + principal + ":" + chatId;
    }

    String wake(String nodeId) {
        return prefix + "node:" + nodeId + ":wake";
    }

    String abortChannel() {
        return prefix + "abort";
    }

    /** The stream entry id of a chunk's seq. */
    static String entryId(long seq) {
        return "0-" + (seq + 1);
    }

    /** The seq of a stream entry id made by {@link #entryId}. */
    static long seqOf(String entryId) {
        int dash = entryId.indexOf('-');
        return Long.parseLong(entryId, dash + 1, entryId.length(), 10) - 1;
    }
}
