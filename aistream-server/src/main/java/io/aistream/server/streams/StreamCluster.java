package io.aistream.server.streams;

import io.aistream.server.resume.StreamBuffer;
import java.util.Optional;

/**
 * What the gateway's nodes share about running streams, beyond the resume store: where a stream runs,
 * how to abort it from any node, per-key stream limits over all nodes, and who takes a dead node's
 * streams over. {@link #single()} is one node on its own: nothing is shared and nothing happens.
 *
 * <p>The cluster calls its {@link Listener} (the {@link StreamService}) from its own threads: to abort a
 * local stream at another node's request, to stop a stream whose lease another node has taken, and to
 * continue a dead node's stream here. Thread-safe.
 */
public interface StreamCluster extends AutoCloseable {

    /** This node's id. */
    String nodeId();

    /** Whether other nodes share the streams (false for {@link #single()}). */
    boolean shared();

    /**
     * Takes one of the owner's {@code perKey} slots for the stream, counted over all nodes; the slot of a
     * node that dies frees itself when its lease expires.
     *
     * @return empty when granted, else why not
     */
    Optional<String> acquire(String principal, String streamId, int perKey);

    /** Gives the slot back; never throws. */
    void release(String principal, String streamId);

    /**
     * A stream now runs on this node: announce it (a resumable one was announced when its buffer was
     * created), and keep its lease and its limit slot alive until {@link #finished}. Never throws.
     *
     * @param buffer the stream's buffer when resumable, whose fencing epoch the leases carry
     */
    void started(LiveStream stream, Optional<StreamBuffer> buffer);

    /** The stream no longer runs on this node. Never throws. */
    void finished(LiveStream stream);

    /**
     * This node stops (gracefully) and has stopped producing the resumable stream: give its lease up so that
     * another node continues it at once rather than after the lease expires. Never throws.
     *
     * @return true if the lease was released for another node to take
     */
    boolean handOver(LiveStream stream);

    /** A stream some node runs or ran, as the cluster knows it. */
    record Remote(String streamId, String owner, String node, boolean resumable, boolean finished) {}

    /** What the cluster knows of a stream that may run on another node; empty when nothing. */
    Optional<Remote> locate(String streamId);

    /**
     * Asks whichever node produces the stream to abort it (and marks it aborted, so a takeover ends it
     * rather than continuing it).
     *
     * @return true if the stream was running when asked
     */
    boolean abort(String streamId, String cause);

    /**
     * Where every node finds each AI SDK chat's current stream; empty for a node on its own, which keeps them
     * in memory.
     */
    Optional<ChatPointers> chats();

    /**
     * Chat id → the chat's current stream, per principal, shared by all nodes; entries expire (after the
     * longest a stream can be resumed). Values are opaque text. Thread-safe; every method may throw
     * {@link io.aistream.server.resume.StoreUnavailableException}.
     */
    interface ChatPointers {
        /** Makes {@code entry} the chat's current one; returns the one it replaces. */
        Optional<String> swap(String principal, String chatId, String entry);

        /** The chat's current entry. */
        Optional<String> get(String principal, String chatId);

        /** Forgets the chat's entry if it still is {@code entry}. */
        void remove(String principal, String chatId, String entry);
    }

    /** Sets who hears the cluster's requests; called once, before any stream starts. */
    void listen(Listener listener);

    /** What the cluster asks of this node. Called on the cluster's threads; must not block for long. */
    interface Listener {
        /** Another node asks to abort the stream, if it runs here. */
        void abortRequested(String streamId, String cause);

        /** Another node took the stream over (this node's lease had expired): stop it without appending. */
        void fenced(String streamId);

        /** This node won a dead node's stream: continue it (or end it honestly). */
        void takeOver(Takeover takeover);
    }

    /**
     * A dead node's stream this node now holds.
     *
     * @param streamId    the stream
     * @param owner       the principal that started it
     * @param provider    the provider-map name it used
     * @param model       the model it named, or empty
     * @param requestJson the native request body, to open the same request again
     * @param lastSeq     the seq of the last chunk in the store; the continuation starts after it
     * @param sentText    the answer text sent so far, or empty when it was too long to keep
     * @param toolCalls   whether a tool call was sent (then the answer cannot be continued)
     * @param aborted     whether someone asked to abort it while its node was dead
     * @param previousNode the node that held it
     * @param buffer      the stream's buffer, appendable by this node (under the new fencing epoch)
     */
    record Takeover(
            String streamId,
            String owner,
            String provider,
            String model,
            String requestJson,
            long lastSeq,
            Optional<String> sentText,
            boolean toolCalls,
            boolean aborted,
            String previousNode,
            StreamBuffer buffer) {}

    @Override
    void close();

    /** One node on its own: no sharing, no takeover. */
    static StreamCluster single(String nodeId) {
        return new SingleNode(nodeId);
    }
}
