package io.aistream.server.aisdk;

import io.aistream.server.http.Responses;
import io.aistream.server.streams.StreamCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which stream is the current one of each chat, for {@code GET /v1/ui/chat/{chatId}/stream}: chat
 * id (per principal, so two API keys never see each other's chats) → stream id, the answer's
 * message id and the chunk options, which a resume needs to replay the same UI chunks.
 *
 * <p>Bounded: beyond {@code maxChats} entries the least recently started chat is forgotten (its
 * stream still runs and stays resumable by id through {@code GET /v1/streams/{id}}). Entries of
 * finished streams are removed when a resume finds them finished. On a node of a cluster the entries
 * live in Redis instead (see {@link StreamCluster#chats()}), so every node resumes and stops every chat.
 * Thread-safe.
 */
final class UiChats {
    /** What a resume of a chat needs. */
    record Entry(String streamId, String messageId, String provider, String model, UiStreamOptions options) {
        Entry {
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    private record Key(String owner, String chatId) {}

    private final Map<Key, Entry> chats;
    private final Optional<StreamCluster.ChatPointers> shared;

    /** Chats kept in memory, at most {@code maxChats}. */
    UiChats(int maxChats) {
        this(maxChats, Optional.empty());
    }

    /** Chats kept by the cluster when {@code shared} is present (every node sees them), else in memory. */
    UiChats(int maxChats, Optional<StreamCluster.ChatPointers> shared) {
        this.shared = shared;
        this.chats = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, UiChats.Entry> eldest) {
                return size() > maxChats;
            }
        };
    }

    /** Makes {@code entry} the chat's current stream; returns the one it replaces, if any. */
    Optional<Entry> put(String owner, String chatId, Entry entry) {
        if (shared.isPresent()) {
            return shared.get().swap(owner, chatId, toJson(entry)).flatMap(UiChats::fromJson);
        }
        return putHere(owner, chatId, entry);
    }

    private synchronized Optional<Entry> putHere(String owner, String chatId, Entry entry) {
        Key key = new Key(owner, chatId);
        Entry previous = chats.remove(key); // re-inserted last: the most recent start
        chats.put(key, entry);
        return Optional.ofNullable(previous);
    }

    Optional<Entry> get(String owner, String chatId) {
        if (shared.isPresent()) {
            return shared.get().get(owner, chatId).flatMap(UiChats::fromJson);
        }
        return getHere(owner, chatId);
    }

    private synchronized Optional<Entry> getHere(String owner, String chatId) {
        return Optional.ofNullable(chats.get(new Key(owner, chatId)));
    }

    /** Forgets the chat's stream if it is still {@code entry}'s. */
    void remove(String owner, String chatId, Entry entry) {
        if (shared.isPresent()) {
            shared.get().remove(owner, chatId, toJson(entry));
            return;
        }
        removeHere(owner, chatId, entry.streamId());
    }

    private synchronized void removeHere(String owner, String chatId, String streamId) {
        Key key = new Key(owner, chatId);
        Entry e = chats.get(key);
        if (e != null && e.streamId().equals(streamId)) {
            chats.remove(key);
        }
    }

    static String toJson(Entry e) {
        ObjectNode node = Responses.JSON.createObjectNode();
        node.put("streamId", e.streamId());
        node.put("messageId", e.messageId());
        node.put("provider", e.provider());
        node.put("model", e.model());
        node.put("finishReason", e.options().finishReason());
        node.put("providerMetadata", e.options().providerMetadata());
        return node.toString();
    }

    /** An entry {@link #toJson} wrote; empty for anything else (a foreign or older value is ignored). */
    static Optional<Entry> fromJson(String json) {
        try {
            JsonNode n = Responses.JSON.readTree(json);
            return Optional.of(new Entry(
                    n.get("streamId").asString(),
                    n.get("messageId").asString(),
                    n.path("provider").asString(""),
                    n.path("model").asString(""),
                    new UiStreamOptions(
                            n.path("finishReason").asBoolean(false),
                            n.path("providerMetadata").asBoolean(false))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    synchronized int size() {
        return chats.size();
    }
}
