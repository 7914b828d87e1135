/**
 * Writing a host application's own {@link io.aistream.stream.ChatStream} in the gateway's protocols
 * ({@link io.aistream.server.direct.StreamResponses}), for controllers of a Spring (or any other) app
 * that build their streams themselves.
 */
package io.aistream.server.direct;
