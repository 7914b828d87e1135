import type { WebSocketConstructor, WebSocketLike } from "../src/index.js";

/** A scripted WebSocket: the test plays the server (open, message, drop) and reads what was sent. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("InvalidStateError: not open");
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.closedWith = {
      ...(code !== undefined ? { code } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
  }

  // the server's side

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  message(m: unknown): void {
    this.onmessage?.({ data: typeof m === "string" ? m : JSON.stringify(m) });
  }

  drop(code = 1006, reason = ""): void {
    this.readyState = 3;
    this.onerror?.({ type: "error" });
    this.onclose?.({ code, reason, wasClean: false });
  }

  sentOfType(type: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.type === type);
  }
}

/** A WebSocket constructor whose sockets a test can reach. */
export function fakeWebSocket(): {
  WebSocket: WebSocketConstructor;
  sockets: FakeSocket[];
  last: () => FakeSocket;
} {
  const sockets: FakeSocket[] = [];
  const WebSocket = class extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  };
  return {
    WebSocket,
    sockets,
    last: () => {
      const s = sockets[sockets.length - 1];
      if (!s) throw new Error("no socket was opened");
      return s;
    },
  };
}
