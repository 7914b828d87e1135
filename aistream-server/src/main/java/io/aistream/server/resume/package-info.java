/**
 * Where the gateway keeps resumable streams: the SPI ({@link io.aistream.server.resume.ResumeStore},
 * {@link io.aistream.server.resume.StreamBuffer}) and its in-memory default, the store of a single node.
 * Imports the chunk model only; nothing of HTTP, nothing of the rest of the server.
 */
package io.aistream.server.resume;
