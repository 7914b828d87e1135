package io.aistream.provider.transport;

import io.aistream.request.ChatRequest;

/**
 * The request the transport tests send (reading the streams is {@link io.aistream.testing.Chunks}).
 */
final class Streams {
    static final ChatRequest REQUEST = ChatRequest.builder().user("Say hello").build();

    private Streams() {}
}
