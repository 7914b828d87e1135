/**
 * The in-memory {@link io.aistream.server.ResumeStore}, the default of a single node. Imports only the
 * API package {@code io.aistream.server}; nothing of HTTP.
 */
package io.aistream.server.streams.resume;
