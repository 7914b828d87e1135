/**
 * Ollama's native chat API ({@code /api/chat}, NDJSON): {@link io.aistream.provider.ollama.OllamaProtocol}
 * maps requests and errors, {@link io.aistream.provider.ollama.OllamaStreamDecoder} reads the stream,
 * {@link io.aistream.provider.ollama.OllamaDescriptor} registers them.
 */
package io.aistream.provider.ollama;
