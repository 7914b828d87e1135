import type { AIStream, StreamChatOptions } from "./options.js";
import { SseStream } from "./sse.js";
import type { ChatRequest } from "./types.js";
import { toWebSocketUrl } from "./internal/urls.js";
import { AIStreamSocket } from "./ws.js";

/**
 * Streams a chat from the gateway as an async iterable of {@link StreamChunk}s.
 *
 * ```ts
 * for await (const chunk of streamChat("/v1/stream", { provider: "simulated", model: "echo",
 *     messages: [{ role: "user", content: "Hi" }] }, { signal })) {
 *   if (chunk.type === "content") out.textContent += chunk.delta;
 * }
 * ```
 *
 * - `transport: "sse"` (default): `POST url` and read native SSE; `"ws"`: a WebSocket of its own
 *   to the gateway's `/v1/ws` (an `http(s)://…/v1/stream` URL is turned into `ws(s)://…/v1/ws`).
 *   To share one socket among several streams use {@link connect}.
 * - The iteration ends after the `done` chunk (SSE: at `data: [DONE]`), exactly once.
 * - An `error` chunk is yielded, then the `done` that follows it; then, with `errors: "throw"`
 *   (default), the iteration throws its {@link AIStreamError}. Failures outside the stream (HTTP
 *   status, lost connection that could not be resumed, malformed data) always throw one.
 * - Resume (default on): after a drop it reconnects with `Last-Event-ID` = the last seq received,
 *   waiting the server's `retry:` (doubling per failed attempt); chunks are deduplicated by seq.
 * - Abort: `options.signal`, `stream.abort()` or leaving the loop early ends the iteration quietly
 *   (no throw) and cancels the stream on the server (`DELETE …/streams/{id}` or WS `abort`).
 */
export function streamChat(url: string, request: ChatRequest, options: StreamChatOptions = {}): AIStream {
  if (options.transport === "ws") {
    const socket = new AIStreamSocket(toWebSocketUrl(url), {
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.resume !== undefined ? { reconnect: options.resume } : {}),
      closeWhenIdle: true,
    });
    return socket.stream(request, options);
  }
  return new SseStream(url, request, options);
}
