package io.aistream.server.cluster;

import io.aistream.server.streams.StreamCluster;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Optional;

/**
 * The AI SDK chats' current streams in Redis: one key per principal and chat, replaced atomically
 * ({@code SET … GET}), expiring after {@code ttl} (no chat outlives the streams it can resume). Thread-safe.
 */
final class RedisChatPointers implements StreamCluster.ChatPointers {
    private final Redis redis;
    private final Duration ttl;

    RedisChatPointers(Redis redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Optional<String> swap(String principal, String chatId, String entry) {
        try {
            return Optional.ofNullable(redis.sync()
                    .setGet(redis.keys().chat(principal, chatId), entry, SetArgs.Builder.px(ttl.toMillis())));
        } catch (RedisException e) {
            throw redis.unavailable("set chat " + chatId, e);
        }
    }

    @Override
    public Optional<String> get(String principal, String chatId) {
        try {
            return Optional.ofNullable(redis.sync().get(redis.keys().chat(principal, chatId)));
        } catch (RedisException e) {
            throw redis.unavailable("read chat " + chatId, e);
        }
    }

    @Override
    public void remove(String principal, String chatId, String entry) {
        redis.run(
                RedisScript.DELETE_IF,
                ScriptOutputType.INTEGER,
                new String[] {redis.keys().chat(principal, chatId)},
                entry);
    }
}
