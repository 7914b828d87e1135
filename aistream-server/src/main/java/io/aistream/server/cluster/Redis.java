package io.aistream.server.cluster;

import io.aistream.server.config.ClusterConfig;
import io.aistream.server.resume.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node's connections to Redis: a shared command connection (thread-safe; Lettuce pipelines the
 * commands of all threads on it), and factories for the dedicated connections of blocking reads and
 * pub/sub. Scripts run by their SHA, loaded again when Redis forgot them (after a restart).
 *
 * <p><b>Failures.</b> While Redis is unreachable commands fail at once (they are not queued, so no
 * caller waits for a reconnect), and a command that gets no answer fails after
 * {@link #COMMAND_TIMEOUT}; both surface as {@link StoreUnavailableException}. Lettuce reconnects in
 * the background, so the node recovers by itself when Redis returns. Thread-safe; {@link #close()}
 * closes every connection.
 */
final class Redis implements AutoCloseable {
    /** How long a command may go unanswered before it counts as a failure. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    /** The keeper's own connection: its renewals never wait behind a queue of appends. */
    private final StatefulRedisConnection<String, String> control;

    private final RedisKeys keys;
    private final String redactedUrl;
    private final Map<RedisScript, String> shas = new EnumMap<>(RedisScript.class);

    private Redis(
            RedisClient client,
            StatefulRedisConnection<String, String> connection,
            StatefulRedisConnection<String, String> control,
            ClusterConfig config) {
        this.client = client;
        this.connection = connection;
        this.control = control;
        this.keys = new RedisKeys(config.keyPrefix());
        this.redactedUrl = config.redactedUrl();
        // a Redis that restarted has forgotten the scripts: load them again before the next use, rather than
        // have pipelined appends (which cannot retry in order) fail on NOSCRIPT
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
                forgetScripts();
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
                forgetScripts();
            }
        });
    }

    private void forgetScripts() {
        synchronized (shas) {
            shas.clear();
        }
    }

    /**
     * Connects and checks that Redis answers.
     *
     * @throws StoreUnavailableException naming the (redacted) URL when Redis cannot be reached
     */
    static Redis connect(ClusterConfig config) {
        RedisURI uri;
        try {
            uri = RedisURI.create(config.redisUrl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redis url " + config.redactedUrl() + ": " + e.getMessage(), e);
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(COMMAND_TIMEOUT)
                        .keepAlive(true)
                        .build())
                .build());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            connection.sync().ping();
            return new Redis(client, connection, client.connect(), config);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new StoreUnavailableException(
                    "Redis at " + config.redactedUrl() + " cannot be reached: " + rootMessage(e), e);
        }
    }

    RedisKeys keys() {
        return keys;
    }

    /** The shared command connection's synchronous API. */
    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** The shared command connection's asynchronous API (commands run in the order they are sent). */
    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** A new connection of its own, for commands that block (its command timeout is {@code timeout}). */
    StatefulRedisConnection<String, String> dedicated(Duration timeout) {
        StatefulRedisConnection<String, String> c = client.connect();
        c.setTimeout(timeout);
        return c;
    }

    /** A new pub/sub connection (Lettuce subscribes again after a reconnect). */
    StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    /**
     * Runs a script on the shared connection.
     *
     * @throws StoreUnavailableException when Redis cannot be reached or does not answer in time
     */
    <T> T run(RedisScript script, ScriptOutputType type, String[] scriptKeys, String... args) {
        return run(connection, script, type, scriptKeys, args);
    }

    /** {@link #run} on the keeper's own connection (lease renewals and takeovers). */
    <T> T runControl(RedisScript script, ScriptOutputType type, String[] scriptKeys, String... args) {
        return run(control, script, type, scriptKeys, args);
    }

    private <T> T run(
            StatefulRedisConnection<String, String> on,
            RedisScript script,
            ScriptOutputType type,
            String[] scriptKeys,
            String... args) {
        try {
            String sha = sha(script);
            try {
                return on.sync().evalsha(sha, type, scriptKeys, args);
            } catch (RedisNoScriptException e) { // Redis restarted and forgot it
                synchronized (shas) {
                    shas.remove(script);
                }
                return on.sync().evalsha(sha(script), type, scriptKeys, args);
            }
        } catch (RedisException e) {
            throw unavailable(script.name().toLowerCase(java.util.Locale.ROOT), e);
        }
    }

    /**
     * Sends a script on the shared connection without waiting for its answer (commands of one connection run
     * in the order they were sent). A script Redis forgot (after a restart) fails the future with
     * {@link RedisNoScriptException}; the keeper loads it again within a renewal interval.
     *
     * @throws StoreUnavailableException when the script cannot even be sent (Redis out of reach)
     */
    <T> RedisFuture<T> runAsync(RedisScript script, ScriptOutputType type, String[] scriptKeys, String... args) {
        try {
            return connection.async().evalsha(sha(script), type, scriptKeys, args);
        } catch (RedisException e) {
            throw unavailable(script.name().toLowerCase(java.util.Locale.ROOT), e);
        }
    }

    /**
     * Runs a script on every argument set at once, pipelined (one round trip for all) on the keeper's own
     * connection, and returns the results in order. A script Redis forgot is loaded again first.
     *
     * @throws StoreUnavailableException when Redis cannot be reached or does not answer in time
     */
    <T> List<T> runAll(RedisScript script, ScriptOutputType type, List<String[]> keys, List<String[]> args) {
        try {
            String sha = sha(script);
            if (!control.sync().scriptExists(sha).getFirst()) {
                synchronized (shas) {
                    shas.remove(script);
                }
                sha = sha(script);
            }
            List<RedisFuture<T>> futures = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                futures.add(control.async().evalsha(sha, type, keys.get(i), args.get(i)));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (RedisFuture<T> f : futures) {
                results.add(f.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        } catch (RedisException e) {
            throw unavailable(script.name().toLowerCase(java.util.Locale.ROOT), e);
        } catch (ExecutionException e) {
            throw unavailable(
                    script.name().toLowerCase(java.util.Locale.ROOT),
                    e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause()));
        } catch (TimeoutException e) {
            throw unavailable(script.name().toLowerCase(java.util.Locale.ROOT), new RedisException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(script.name().toLowerCase(java.util.Locale.ROOT), new RedisException(e));
        }
    }

    private String sha(RedisScript script) {
        synchronized (shas) {
            String sha = shas.get(script);
            if (sha != null) {
                return sha;
            }
        }
        String sha = sync().scriptLoad(script.source());
        synchronized (shas) {
            shas.put(script, sha);
        }
        return sha;
    }

    /** A {@link StoreUnavailableException} for a failed command. */
    StoreUnavailableException unavailable(String what, RuntimeException e) {
        return new StoreUnavailableException(
                "Redis at " + redactedUrl + " failed (" + what + "): " + rootMessage(e), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        try {
            control.close();
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
