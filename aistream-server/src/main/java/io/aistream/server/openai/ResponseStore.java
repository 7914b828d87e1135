package io.aistream.server.openai;

import io.aistream.server.http.Responses;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The responses {@code POST /v1/responses} answered with {@code store} not false, kept so that a later request
 * of the same API key can refer back to them: an {@code item_reference} to one of their output items, a
 * {@code previous_response_id}, {@code GET} and {@code DELETE /v1/responses/{id}}.
 *
 * <p><b>What is kept.</b> Per response: the {@code response} object as answered and its input items as read
 * (the previous response's items and resolved references included, so that a chain never depends on an
 * older entry), as compact JSON text, each output item apart: a reference to an item ({@code msg_…},
 * {@code fc_…}, {@code rs_…}, found through an index) reads only that item's text, never the whole response.
 *
 * <p><b>Isolation.</b> Every entry belongs to the principal (API key) that created it; a lookup by another
 * principal finds nothing, exactly as for an id that never existed.
 *
 * <p><b>Bounds.</b> An entry's size is its JSON text plus a fixed estimate per entry and per output item
 * ({@link #ENTRY_OVERHEAD}, {@link #ITEM_OVERHEAD}). The store holds at most {@code maxBytes} in all and
 * {@code perKeyBytes} per principal: a new entry first evicts its own principal's oldest entries, then the
 * oldest entries of anyone, until it fits; an entry larger than the per-key bound is not kept at all. Every
 * change of the total is reported to {@code onBytes} (the gateway counts it in its memory budget).
 *
 * <p><b>Expiry.</b> An entry expires {@code ttl} after it was stored, on the injected {@link TimeSource}:
 * lookups never see an expired entry, and one scheduled sweep at a time (at the oldest entry's expiry)
 * removes them, so an idle gateway gives the memory back.
 *
 * <p><b>Threading.</b> Thread-safe: every method takes the store's lock briefly; JSON is parsed and written
 * outside it.
 */
final class ResponseStore {
    /** Bytes counted per entry besides its JSON text: the maps' nodes, the strings of its ids. */
    static final long ENTRY_OVERHEAD = 512;

    /** Bytes counted per output item: its index entry. */
    static final long ITEM_OVERHEAD = 128;

    /** One kept response. */
    private record Entry(
            String id,
            String owner,
            byte[] head,
            List<byte[]> output,
            List<String> itemIds,
            byte[] input,
            long bytes,
            long expiresAt) {}

    /** A kept response as read back: the {@code response} object and its input items. */
    record Stored(ObjectNode response, ArrayNode input) {
        /** Its input items followed by its output items: the conversation a {@code previous_response_id} continues. */
        List<JsonNode> conversation() {
            List<JsonNode> items = new ArrayList<>();
            input.forEach(items::add);
            response.path("output").forEach(items::add);
            return items;
        }
    }

    private final long maxBytes;
    private final long perKeyBytes;
    private final Duration ttl;
    private final TimeSource time;
    private final LongConsumer onBytes;

    private final LinkedHashMap<String, Entry> byId = new LinkedHashMap<>(); // oldest first; guarded by this
    private final Map<String, Entry> byItem = new HashMap<>();
    private final Map<String, LinkedHashSet<Entry>> byOwner = new HashMap<>();
    private final Map<String, Long> ownerBytes = new HashMap<>();
    private long totalBytes;
    private TimeSource.Cancellable sweep;

    /**
     * @param maxBytes    bytes kept in all
     * @param perKeyBytes bytes kept per principal (at most {@code maxBytes})
     * @param ttl         how long an entry is kept
     * @param time        the clock and scheduler of expiry
     * @param onBytes     told every change of the bytes kept (positive: added, negative: let go)
     */
    ResponseStore(long maxBytes, long perKeyBytes, Duration ttl, TimeSource time, LongConsumer onBytes) {
        if (maxBytes <= 0 || perKeyBytes <= 0) {
            throw new IllegalArgumentException("maxBytes and perKeyBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.perKeyBytes = Math.min(perKeyBytes, maxBytes);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.time = Objects.requireNonNull(time, "time");
        this.onBytes = Objects.requireNonNull(onBytes, "onBytes");
    }

    /**
     * Keeps {@code response} (its {@code id} and output items' ids) for {@code owner}, evicting older entries
     * to make room. A response with the id of a kept one replaces it.
     *
     * @param input its input items as read
     * @return false when it is larger than one principal may keep, and so was not kept
     */
    boolean put(String owner, ObjectNode response, ArrayNode input) {
        String id = response.path("id").asString();
        List<String> itemIds = new ArrayList<>();
        List<byte[]> output = new ArrayList<>();
        long bytes = ENTRY_OVERHEAD;
        for (JsonNode item : response.path("output")) {
            itemIds.add(item.path("id").asString(""));
            output.add(Responses.JSON.writeValueAsBytes(item));
            bytes += ITEM_OVERHEAD + output.getLast().length;
        }
        ObjectNode headNode = response.deepCopy();
        headNode.putArray("output");
        byte[] head = Responses.JSON.writeValueAsBytes(headNode);
        byte[] inputJson = Responses.JSON.writeValueAsBytes(input);
        bytes += head.length + inputJson.length;
        if (bytes > perKeyBytes) {
            return false;
        }
        long delta = 0;
        synchronized (this) {
            delta -= expire();
            Entry old = byId.get(id);
            if (old != null) {
                delta -= remove(old);
            }
            LinkedHashSet<Entry> mine = byOwner.get(owner);
            while (mine != null && !mine.isEmpty() && ownerBytes.getOrDefault(owner, 0L) + bytes > perKeyBytes) {
                delta -= remove(mine.getFirst());
                mine = byOwner.get(owner);
            }
            Iterator<Entry> oldest = byId.values().iterator();
            while (totalBytes + bytes > maxBytes && oldest.hasNext()) {
                Entry victim = oldest.next();
                oldest.remove();
                delta -= unindex(victim);
            }
            Entry entry = new Entry(
                    id,
                    owner,
                    head,
                    List.copyOf(output),
                    List.copyOf(itemIds),
                    inputJson,
                    bytes,
                    time.nanoTime() + ttl.toNanos());
            byId.put(id, entry);
            itemIds.stream().filter(itemId -> !itemId.isEmpty()).forEach(itemId -> byItem.put(itemId, entry));
            byOwner.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(entry);
            ownerBytes.merge(owner, bytes, Long::sum);
            totalBytes += bytes;
            delta += bytes;
            scheduleSweep();
        }
        onBytes.accept(delta);
        return true;
    }

    /** {@code owner}'s kept response {@code id}; empty when unknown, expired, evicted or someone else's. */
    Optional<Stored> response(String owner, String id) {
        Entry entry;
        synchronized (this) {
            entry = live(byId.get(id), owner);
        }
        return Optional.ofNullable(entry).map(ResponseStore::read);
    }

    /** The output item {@code itemId} of one of {@code owner}'s kept responses, as it was answered. */
    Optional<JsonNode> item(String owner, String itemId) {
        Entry entry;
        synchronized (this) {
            entry = live(byItem.get(itemId), owner);
        }
        if (entry == null) {
            return Optional.empty();
        }
        int index = entry.itemIds().indexOf(itemId);
        return Optional.of(Responses.JSON.readTree(entry.output().get(index)));
    }

    /** Forgets {@code owner}'s response {@code id}; false when there was none. */
    boolean delete(String owner, String id) {
        long freed;
        synchronized (this) {
            Entry entry = live(byId.get(id), owner);
            if (entry == null) {
                return false;
            }
            freed = remove(entry);
        }
        onBytes.accept(-freed);
        return true;
    }

    /** Forgets everything and cancels the pending sweep (the gateway stops). */
    void close() {
        long freed;
        synchronized (this) {
            if (sweep != null) {
                sweep.cancel();
                sweep = null;
            }
            freed = totalBytes;
            byId.clear();
            byItem.clear();
            byOwner.clear();
            ownerBytes.clear();
            totalBytes = 0;
        }
        onBytes.accept(-freed);
    }

    /** Bytes kept now, in all. */
    synchronized long bytes() {
        return totalBytes;
    }

    /** Bytes {@code owner}'s entries take now. */
    synchronized long bytes(String owner) {
        return ownerBytes.getOrDefault(owner, 0L);
    }

    /** Responses kept now. */
    synchronized int size() {
        return byId.size();
    }

    // ---- under the lock

    /** {@code entry} if it is {@code owner}'s and not expired. */
    private Entry live(Entry entry, String owner) {
        if (entry == null || !entry.owner().equals(owner) || expired(entry)) {
            return null;
        }
        return entry;
    }

    private boolean expired(Entry entry) {
        return time.nanoTime() - entry.expiresAt() >= 0;
    }

    /** Removes the expired entries (the oldest ones: all live as long); returns the bytes freed. */
    private long expire() {
        long freed = 0;
        Iterator<Entry> oldest = byId.values().iterator();
        while (oldest.hasNext()) {
            Entry e = oldest.next();
            if (!expired(e)) {
                break;
            }
            oldest.remove();
            freed += unindex(e);
        }
        return freed;
    }

    private long remove(Entry entry) {
        byId.remove(entry.id());
        return unindex(entry);
    }

    /** Drops every trace of {@code entry} but its place in {@code byId}; returns its bytes. */
    private long unindex(Entry entry) {
        for (String itemId : entry.itemIds()) {
            if (!itemId.isEmpty()) {
                byItem.remove(itemId, entry);
            }
        }
        LinkedHashSet<Entry> mine = byOwner.get(entry.owner());
        if (mine != null && mine.remove(entry) && mine.isEmpty()) {
            byOwner.remove(entry.owner());
        }
        ownerBytes.computeIfPresent(entry.owner(), (k, b) -> b - entry.bytes() == 0 ? null : b - entry.bytes());
        totalBytes -= entry.bytes();
        return entry.bytes();
    }

    /** One sweep pending at a time, at the oldest entry's expiry. */
    private void scheduleSweep() {
        if (sweep != null || byId.isEmpty()) {
            return;
        }
        long due = byId.firstEntry().getValue().expiresAt();
        sweep = time.schedule(Duration.ofNanos(Math.max(0, due - time.nanoTime())), this::sweep);
    }

    private void sweep() {
        long freed;
        synchronized (this) {
            sweep = null;
            freed = expire();
            scheduleSweep();
        }
        onBytes.accept(-freed);
    }

    private static Stored read(Entry entry) {
        ObjectNode response = (ObjectNode) Responses.JSON.readTree(entry.head());
        ArrayNode output = response.putArray("output");
        entry.output().forEach(item -> output.add(Responses.JSON.readTree(item)));
        ArrayNode input = (ArrayNode) Responses.JSON.readTree(entry.input());
        return new Stored(response, input);
    }
}
