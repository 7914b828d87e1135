import type { WebSocketConstructor, WebSocketLike } from "@aistream/client";

/**
 * Lets the demo cut its live connection the way a network failure would: the server is not told
 * (no DELETE, no WebSocket `abort`), so the client has to notice the loss and resume.
 *
 * - SSE: every streaming fetch gets an extra abort signal; {@link drop} fires it, the body read
 *   fails mid-stream, and the client reconnects with `GET /v1/streams/{id}` + `Last-Event-ID`.
 * - WebSocket: every socket is remembered; {@link drop} closes it with code 4000, and the client
 *   reopens it and sends `{"type":"resume","after":<last seq>}`.
 */
export class ConnectionCutter {
  private readonly cuts = new Set<AbortController>();
  private readonly sockets = new Set<WebSocket>();

  /** A fetch for the client's `fetch` option: DELETEs pass through, reads can be cut. */
  readonly fetch: typeof globalThis.fetch = (input, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    if (method === "DELETE") return globalThis.fetch(input, init);
    const cut = new AbortController();
    this.cuts.add(cut);
    const signal = init?.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal;
    return globalThis.fetch(input, { ...init, signal });
  };

  /** A WebSocket constructor for the client's `WebSocket` option that remembers its sockets. */
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const sockets = this.sockets;
    class TrackedWebSocket extends globalThis.WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.add(this);
        this.addEventListener("close", () => sockets.delete(this));
      }
    }
    this.WebSocket = TrackedWebSocket as unknown as new (
      url: string,
      protocols?: string | string[],
    ) => WebSocketLike;
  }

  /** Cuts every live connection; returns how many were cut. */
  drop(): number {
    let n = 0;
    for (const cut of this.cuts) {
      if (!cut.signal.aborted) {
        cut.abort(new DOMException("connection dropped by the demo", "NetworkError"));
        n++;
      }
    }
    this.cuts.clear();
    for (const ws of this.sockets) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        ws.close(4000, "connection dropped by the demo");
        n++;
      }
    }
    return n;
  }

  /** Forgets finished connections (called when a new stream starts). */
  forget(): void {
    this.cuts.clear();
  }
}
