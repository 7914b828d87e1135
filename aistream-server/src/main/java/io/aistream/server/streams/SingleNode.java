package io.aistream.server.streams;

import io.aistream.server.resume.StreamBuffer;
import java.util.Optional;

/** {@link StreamCluster#single}: a node on its own; the local {@link StreamLimits} do all the counting. */
final class SingleNode implements StreamCluster {
    private final String nodeId;

    SingleNode(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Optional<String> acquire(String principal, String streamId, int perKey) {
        return Optional.empty();
    }

    @Override
    public void release(String principal, String streamId) {}

    @Override
    public void started(LiveStream stream, Optional<StreamBuffer> buffer) {}

    @Override
    public void finished(LiveStream stream) {}

    @Override
    public boolean handOver(LiveStream stream) {
        return false;
    }

    @Override
    public Optional<Remote> locate(String streamId) {
        return Optional.empty();
    }

    @Override
    public boolean abort(String streamId, String cause) {
        return false;
    }

    @Override
    public Optional<ChatPointers> chats() {
        return Optional.empty();
    }

    @Override
    public void listen(Listener listener) {}

    @Override
    public void close() {}
}
