/**
 * The provider-neutral chunk model: {@link io.aistream.chunk.StreamChunk} and its variants, its JSON
 * form ({@link io.aistream.chunk.ChunkJson}) and accumulation into a
 * {@link io.aistream.chunk.CompletionResponse}.
 */
package io.aistream.chunk;
