/**
 * Controlled streams: {@link io.aistream.stream.ChatStream}, the chunk source SPI, backpressure,
 * abort via {@link io.aistream.stream.StreamManager}, operators and injected time.
 */
package io.aistream.stream;
