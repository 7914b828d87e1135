package io.aistream.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Several gateway nodes on one Redis: where Redis is, who this node is, and how long a node's claim on
 * the streams it produces lasts. With it, resumable streams live in Redis (every node serves every
 * stream), aborts reach the producing node wherever they arrive, per-key stream limits count every
 * node's streams, and when a node dies another takes its resumable streams over once their leases have
 * expired. Without it (the default) all of this stays in the node's memory.
 *
 * @param redisUrl   {@code redis://[user:password@]host:port[/db]} (or {@code rediss://} for TLS); Valkey works too
 * @param nodeId     this node's id, unique in the cluster, shown on {@code /health} (default: host name,
 *                   process id and a random suffix, see {@link #defaultNodeId()})
 * @param lease      how long a node's claim on a stream lasts without renewal; a stream of a dead node is
 *                   taken over after about this long. At least 3 × {@code renewEvery}
 * @param renewEvery how often a node renews the leases of the streams it produces (and looks for expired ones)
 * @param keyPrefix  the prefix of every Redis key and channel the gateway uses
 */
public record ClusterConfig(String redisUrl, String nodeId, Duration lease, Duration renewEvery, String keyPrefix) {

    /**
     * The default lease: 3 s, so that a dead node's streams go on within about 3 to 4 s (the lease, then the
     * next look), while a busy node still has two renewals to spare.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(3);

    /** The default renewal interval: 1 s. */
    public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(1);

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "aistream:";

    /** @throws IllegalArgumentException naming the field that is wrong */
    public ClusterConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(renewEvery, "renewEvery");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        checkUrl(redisUrl);
        if (nodeId.isBlank() || nodeId.length() > 128 || nodeId.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(
                    "nodeId must be 1 to 128 characters without spaces or control characters: '" + nodeId + "'");
        }
        if (renewEvery.toMillis() < 10) {
            throw new IllegalArgumentException("renewEvery must be at least 10 ms: " + renewEvery);
        }
        if (lease.compareTo(renewEvery.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("lease (" + lease.toMillis() + " ms) must be at least 3 × renewEvery ("
                    + renewEvery.toMillis() + " ms), so that one late renewal does not lose a stream");
        }
        if (keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("keyPrefix must be non-empty without spaces: '" + keyPrefix + "'");
        }
    }

    /** Redis at {@code redisUrl}, with a default node id, lease, renewal and prefix. */
    public static ClusterConfig of(String redisUrl) {
        return new ClusterConfig(redisUrl, defaultNodeId(), DEFAULT_LEASE, DEFAULT_RENEW_EVERY, DEFAULT_KEY_PREFIX);
    }

    /** A copy with another node id. */
    public ClusterConfig withNodeId(String id) {
        return new ClusterConfig(redisUrl, id, lease, renewEvery, keyPrefix);
    }

    /** A copy with another lease and renewal interval. */
    public ClusterConfig withLease(Duration newLease, Duration newRenewEvery) {
        return new ClusterConfig(redisUrl, nodeId, newLease, newRenewEvery, keyPrefix);
    }

    /** A copy with another key prefix. */
    public ClusterConfig withKeyPrefix(String prefix) {
        return new ClusterConfig(redisUrl, nodeId, lease, renewEvery, prefix);
    }

    /** The URL with any password replaced by {@code ***}, for logs. */
    public String redactedUrl() {
        URI uri = URI.create(redisUrl);
        String userInfo = uri.getRawUserInfo();
        return userInfo == null ? redisUrl : redisUrl.replace(userInfo + "@", "***@");
    }

    /** Host name, process id and 6 random hex digits, e.g. {@code web-3-4711-9f0c2a}. */
    public static String defaultNodeId() {
        String host = System.getenv("HOSTNAME"); // set by most shells and every container: no name lookup
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException | SecurityException e) {
                host = "node";
            }
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "");
        if (host.isEmpty()) {
            host = "node";
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("redis url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException(
                    "redis url must start with redis:// or rediss://, e.g." + " redis://127.0.0.1:6379/0");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("redis url names no host, e.g. redis://127.0.0.1:6379/0");
        }
    }
}
