import type { AIStreamError } from "./errors.js";
import type { StreamChunk } from "./types.js";

/** How a stream reconnects after a network drop. */
export interface ResumeOptions {
  /** Reconnect attempts in a row without receiving a new chunk before giving up (default 5). */
  maxAttempts?: number;
  /** The first delay when the server sent no `retry:` value (default 1000 ms). */
  initialDelayMs?: number;
  /** The cap of the doubling delay (default 30000 ms). */
  maxDelayMs?: number;
}

/** Told before each reconnect attempt. */
export interface ReconnectInfo {
  streamId: string;
  /** 1 for the first attempt after a drop, then 2, 3, … while attempts fail. */
  attempt: number;
  /** How long the client waits before this attempt. */
  delayMs: number;
  /** The seq of the last chunk received (-1 when none); the server sends what follows it. */
  lastSeq: number;
  /** What ended the previous connection. */
  cause: unknown;
}

/** The options both transports share. */
export interface CommonStreamOptions {
  /** Aborting stops the iteration (it ends without an error) and tells the server to cancel. */
  signal?: AbortSignal;
  /** Called with each chunk just before the iteration yields it. */
  onChunk?: (chunk: StreamChunk) => void;
  /**
   * What an `error` chunk does. The chunk is always yielded (and the `done` that follows it).
   * `"throw"` (default): once the stream has ended, the iteration throws the {@link AIStreamError}.
   * `"yield"`: the iteration ends normally; only `onError` and the chunks tell.
   */
  errors?: "throw" | "yield";
  /** Called once for each failure: an `error` chunk, or the error the iteration throws. */
  onError?: (error: AIStreamError) => void;
  /**
   * Reconnect and continue after a network drop (default on: 5 attempts). With resume on, the
   * request is sent with `resumable: true` unless it says `resumable: false` (which turns resume off).
   */
  resume?: boolean | ResumeOptions;
  /** Called before each reconnect attempt. */
  onReconnect?: (info: ReconnectInfo) => void;
  /** Called when a reconnect attempt got the stream back (before its first replayed chunk). */
  onResumed?: (info: { streamId: string; lastSeq: number }) => void;
}

/** Options of {@link streamChat}. */
export interface StreamChatOptions extends CommonStreamOptions {
  /** `"sse"` (default): `POST` and server-sent events over fetch. `"ws"`: a WebSocket of its own. */
  transport?: "sse" | "ws";
  /** Extra request headers, e.g. `Authorization` (SSE only: browsers send no headers on a WebSocket). */
  headers?: HeadersInit;
  /** The fetch to use (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** The URL of one stream, for resume and abort (default: `…/v1/stream` → `…/v1/streams/{id}`). */
  streamUrl?: (streamId: string) => string;
  /** The largest SSE event accepted, in characters (default 8 MiB); a larger one is a protocol error. */
  maxEventSize?: number;
  /** The WebSocket constructor to use for `transport: "ws"` (default: the global one). */
  WebSocket?: WebSocketConstructor;
}

/** What this package needs of a WebSocket (the browser's, Node 22's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/**
 * One running stream: iterate it once with `for await`. Nothing is sent before the iteration
 * begins. Leaving the loop early (`break`, `return`, a throw) aborts the stream like `abort()`.
 */
export interface AIStream extends AsyncIterable<StreamChunk> {
  /** The server's stream id (from `X-Stream-Id` or the first chunk), once known. */
  readonly streamId: string | undefined;
  /** The seq of the last chunk yielded, -1 before the first. */
  readonly lastSeq: number;
  /** Stops the iteration and tells the server to cancel the stream; safe to call at any time. */
  abort(): void;
}
