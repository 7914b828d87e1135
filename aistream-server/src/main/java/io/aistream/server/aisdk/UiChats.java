package io.aistream.server.aisdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stream is the current one of each chat, for {@code GET /v1/ui/chat/{chatId}/stream}: chat
 * id (per principal, so two API keys never see each other's chats) → stream id, the answer's
 * message id and the chunk options, which a resume needs to replay the same UI chunks.
 *
 * <p>Bounded: beyond {@code maxChats} entries the least recently started chat is forgotten (its
 * stream still runs and stays resumable by id through {@code GET /v1/streams/{id}}). Entries of
 * finished streams are removed when a resume finds them finished. Thread-safe.
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

    UiChats(int maxChats) {
        this.chats = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, UiChats.Entry> eldest) {
                return size() > maxChats;
            }
        };
    }

    /** Makes {@code entry} the chat's current stream; returns the one it replaces, if any. */
    synchronized Optional<Entry> put(String owner, String chatId, Entry entry) {
        Key key = new Key(owner, chatId);
        Entry previous = chats.remove(key); // re-inserted last: the most recent start
        chats.put(key, entry);
        return Optional.ofNullable(previous);
    }

    synchronized Optional<Entry> get(String owner, String chatId) {
        return Optional.ofNullable(chats.get(new Key(owner, chatId)));
    }

    /** Forgets the chat's stream if it is still {@code streamId}. */
    synchronized void remove(String owner, String chatId, String streamId) {
        Key key = new Key(owner, chatId);
        Entry e = chats.get(key);
        if (e != null && e.streamId().equals(streamId)) {
            chats.remove(key);
        }
    }

    synchronized int size() {
        return chats.size();
    }
}
