import { AIStreamError } from "./errors.js";
import type {
  AIStream,
  CommonStreamOptions,
  ResumeOptions,
  WebSocketConstructor,
  WebSocketLike,
} from "./options.js";
import type { ChatRequest, StreamChunk } from "./types.js";
import { backoffDelay, raceAbort } from "./internal/async.js";
import { BaseStream, resolveResume, type ResolvedResume } from "./internal/base-stream.js";
import { toChunk } from "./internal/chunks.js";

const OPEN = 1;
/** Close codes after which reconnecting cannot help: the server refused what this client sends. */
const FATAL_CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009, 1010]);

/** Where an {@link AIStreamSocket} is. */
export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Options of {@link connect} / {@link AIStreamSocket}. */
export interface SocketOptions {
  /** The WebSocket constructor (default: the global one). */
  WebSocket?: WebSocketConstructor;
  /** Sub-protocols to offer (e.g. one that carries a token: browsers send no headers on a WebSocket). */
  protocols?: string | string[];
  /** Reconnect a dropped socket and resume its streams (default on: 5 attempts, from 1 s doubling). */
  reconnect?: boolean | ResumeOptions;
  /**
   * Chunks kept per stream for a consumer that does not keep up (default 10,000). A WebSocket has
   * no backpressure in browsers, so a stream whose queue overflows fails with `queue_overflow`
   * and is aborted on the server; choose the server's `drop` or `coalesce` backpressure for slow UIs.
   */
  queueSize?: number;
  /** Told of every status change of the socket. */
  onStatusChange?: (status: SocketStatus) => void;
  /** Told of errors that belong to no single stream (a malformed message, a fatal close). */
  onError?: (error: AIStreamError) => void;
  /** Close the socket once its last stream has ended (default false; `streamChat` sets it). */
  closeWhenIdle?: boolean;
}

/** Options of {@link AIStreamSocket.stream}. */
export interface SocketStreamOptions extends CommonStreamOptions {
  /** The client's name for the stream, unique on this socket (default: generated). */
  id?: string;
}

let nameCounter = 0;
function newStreamName(): string {
  nameCounter += 1;
  return `c${nameCounter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * One WebSocket to the gateway's `/v1/ws` carrying several streams at once, each with the same
 * async-iterable API as an SSE stream. The socket opens on the first {@link stream} call.
 *
 * Each stream has its own abort (`{"type":"abort"}`), its own bounded queue and dedupe by seq.
 * When the socket drops, it reconnects with backoff and sends `{"type":"resume","after":<last seq>}`
 * for every unfinished stream, so each consumer still sees every chunk exactly once.
 */
export class AIStreamSocket {
  private ws: WebSocketLike | undefined;
  private statusValue: SocketStatus = "idle";
  private readonly streams = new Map<string, WsStream>();
  private readonly reconnect: ResolvedResume;
  private readonly WebSocketCtor: WebSocketConstructor;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private lastCloseCause: unknown;
  private closing = false;

  constructor(
    readonly url: string,
    private readonly options: SocketOptions = {},
  ) {
    const ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof ctor !== "function") throw new TypeError("no WebSocket: pass options.WebSocket");
    this.WebSocketCtor = ctor;
    this.reconnect = resolveResume(options.reconnect);
  }

  /** The socket's status. */
  get status(): SocketStatus {
    return this.statusValue;
  }

  /** Starts a stream on this socket. Nothing is sent before its iteration begins. */
  stream(request: ChatRequest, options: SocketStreamOptions = {}): AIStream {
    if (this.statusValue === "closed") throw new TypeError("this AIStreamSocket is closed");
    const name = options.id ?? newStreamName();
    if (this.streams.has(name))
      throw new TypeError(`a stream named ${name} is already running on this socket`);
    return new WsStream(this, name, request, options, this.options.queueSize ?? 10_000);
  }

  /** Aborts every running stream and closes the socket for good. */
  close(): void {
    if (this.statusValue === "closed" || this.closing) return;
    this.closing = true;
    for (const s of [...this.streams.values()]) s.abort();
    this.clearTimer();
    this.setStatus("closed");
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = null;
      ws.onclose = null;
      try {
        ws.close(1000, "client closed");
      } catch {
        // already closing
      }
    }
  }

  /** @internal */
  register(s: WsStream): void {
    if (this.statusValue === "closed") {
      s.fail(new AIStreamError({ kind: "network", code: "socket_closed", message: "the socket is closed" }));
      return;
    }
    this.streams.set(s.name, s);
    if (this.ws?.readyState === OPEN) {
      this.sendStart(s);
    } else if (!this.ws && this.statusValue !== "reconnecting") {
      this.open();
    }
  }

  /** @internal */
  unregister(s: WsStream, sendAbort: boolean): void {
    if (this.streams.get(s.name) !== s) return;
    this.streams.delete(s.name);
    if (sendAbort && s.started && this.ws?.readyState === OPEN) {
      this.send({ type: "abort", stream: s.name });
    }
    if (this.streams.size === 0 && this.options.closeWhenIdle && !this.closing) this.close();
  }

  private setStatus(status: SocketStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.options.onStatusChange?.(status);
  }

  private clearTimer(): void {
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private open(): void {
    this.setStatus(this.attempt > 0 ? "reconnecting" : "connecting");
    let ws: WebSocketLike;
    try {
      ws = new this.WebSocketCtor(this.url, this.options.protocols);
    } catch (e) {
      this.lastCloseCause = e;
      this.dropped(undefined);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const resumed = this.attempt > 0;
      this.attempt = 0;
      this.setStatus("open");
      for (const s of this.streams.values()) {
        if (s.started) {
          this.send({ type: "resume", stream: s.name, after: s.receivedSeq });
          if (resumed) s.resumed();
        } else {
          this.sendStart(s);
        }
      }
    };
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.receive(ev.data);
    };
    ws.onerror = (ev) => {
      if (this.ws === ws) this.lastCloseCause = ev;
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.dropped(ev);
    };
  }

  private sendStart(s: WsStream): void {
    s.started = true;
    this.send({ type: "start", stream: s.name, request: s.requestBody() });
  }

  private send(message: unknown): void {
    try {
      this.ws?.send(JSON.stringify(message));
    } catch (e) {
      this.lastCloseCause = e;
    }
  }

  /** The socket closed or could not be opened: reconnect, or fail the streams. */
  private dropped(ev: { code: number; reason: string } | undefined): void {
    if (this.statusValue === "closed") return;
    const live = [...this.streams.values()];
    if (ev && FATAL_CLOSE_CODES.has(ev.code)) {
      const err = new AIStreamError({
        kind: "protocol",
        code: `ws_close_${ev.code}`,
        message: `the server closed the socket: ${ev.code}${ev.reason ? " " + ev.reason : ""}`,
      });
      this.options.onError?.(err);
      for (const s of live) s.fail(err);
      this.setStatus("idle");
      return;
    }
    if (live.length === 0) {
      this.attempt = 0;
      this.setStatus("idle");
      return;
    }
    const resumable = live.filter((s) => s.resumeEnabled || !s.started);
    for (const s of live) {
      if (!resumable.includes(s)) {
        s.fail(
          new AIStreamError({
            kind: "network",
            code: "connection_lost",
            message: `the socket closed${ev ? ` (${ev.code})` : ""} and stream ${s.name} does not resume`,
            retryable: true,
            cause: this.lastCloseCause ?? ev,
          }),
        );
      }
    }
    if (resumable.length === 0 || !this.reconnect.enabled) {
      for (const s of resumable) {
        s.fail(
          new AIStreamError({
            kind: "network",
            code: "connection_lost",
            message: `the socket closed${ev ? ` (${ev.code})` : ""}`,
            retryable: true,
            cause: this.lastCloseCause ?? ev,
          }),
        );
      }
      this.setStatus("idle");
      return;
    }
    this.attempt += 1;
    if (this.attempt > this.reconnect.maxAttempts) {
      const err = new AIStreamError({
        kind: "network",
        code: "resume_failed",
        message: `the socket could not be reopened after ${this.reconnect.maxAttempts} attempts`,
        retryable: true,
        cause: this.lastCloseCause ?? ev,
      });
      for (const s of resumable) s.fail(err);
      this.attempt = 0;
      this.setStatus("idle");
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.reconnect.initialDelayMs, this.reconnect.maxDelayMs);
    this.setStatus("reconnecting");
    for (const s of resumable) s.reconnecting(this.attempt, delayMs, this.lastCloseCause ?? ev);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.statusValue !== "closed" && this.streams.size > 0) this.open();
      else if (this.statusValue !== "closed") {
        this.attempt = 0;
        this.setStatus("idle");
      }
    }, delayMs);
  }

  private protocolError(code: string, message: string): AIStreamError {
    const err = new AIStreamError({ kind: "protocol", code, message });
    this.options.onError?.(err);
    return err;
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") {
      this.failAll(
        this.protocolError(
          "unexpected_binary",
          "the server sent a binary message; the protocol is JSON text",
        ),
      );
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      const shown = data.length > 120 ? data.slice(0, 120) + "…" : data;
      this.failAll(
        this.protocolError("malformed_message", `the server sent a message that is not JSON: ${shown}`),
      );
      return;
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg)) {
      this.failAll(
        this.protocolError("malformed_message", "the server sent a message that is not a JSON object"),
      );
      return;
    }
    const m = msg as Record<string, unknown>;
    const name = typeof m.stream === "string" ? m.stream : undefined;
    if (name === undefined) {
      // a message for the socket itself: an error report, or something newer this client ignores
      if (m.type === "error") {
        const e = (m.error ?? {}) as { code?: unknown; message?: unknown };
        this.protocolError(
          typeof e.code === "string" ? e.code : "server_error",
          typeof e.message === "string" ? e.message : "the server reported an error",
        );
      }
      return;
    }
    const s = this.streams.get(name);
    if (!s) return; // a stream that ended or was aborted here: late messages are expected
    if (m.type === "error" && m.seq === undefined) {
      // the server refused or lost this stream (bad request, unknown stream on resume, …)
      const e = (m.error ?? {}) as { code?: unknown; message?: unknown; field?: unknown; status?: unknown };
      s.fail(
        new AIStreamError({
          kind: "http",
          code: typeof e.code === "string" ? e.code : "stream_error",
          message: typeof e.message === "string" ? e.message : `the server refused stream ${name}`,
          ...(typeof e.field === "string" ? { field: e.field } : {}),
          ...(typeof e.status === "number" ? { status: e.status } : {}),
        }),
      );
      return;
    }
    let chunk: StreamChunk;
    try {
      chunk = toChunk(m, s.streamId);
    } catch (e) {
      s.fail(e as AIStreamError);
      return;
    }
    s.push(chunk);
  }

  private failAll(err: AIStreamError): void {
    for (const s of [...this.streams.values()]) s.fail(err);
  }
}

/** One stream on an {@link AIStreamSocket}. @internal */
export class WsStream extends BaseStream {
  /** Whether `start` was sent (so a reconnect sends `resume`). @internal */
  started = false;
  /** The last seq received from the socket (queued or consumed). @internal */
  receivedSeq = -1;
  readonly resumeEnabled: boolean;
  private queue: StreamChunk[] = [];
  private failure: AIStreamError | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  /** @internal */
  constructor(
    private readonly socket: AIStreamSocket,
    readonly name: string,
    private readonly request: ChatRequest,
    protected override readonly opts: SocketStreamOptions,
    private readonly queueSize: number,
  ) {
    super(opts);
    this.resumeEnabled = resolveResume(opts.resume, request).enabled;
  }

  /** @internal */
  requestBody(): ChatRequest {
    const body: ChatRequest = { ...this.request };
    if (this.resumeEnabled && body.resumable === undefined) body.resumable = true;
    return body;
  }

  protected async *source(): AsyncGenerator<StreamChunk, void, undefined> {
    this.socket.register(this);
    try {
      for (;;) {
        while (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          for (const c of batch) yield c;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await raceAbort(
          new Promise<void>((resolve) => {
            this.wake = resolve;
          }),
          this.ctrl.signal,
        );
      }
    } finally {
      this.wake = undefined;
      // tell the server unless the stream ended by itself or the socket can't carry it any more
      this.socket.unregister(
        this,
        !this.ended && (this.failure === undefined || this.failure.kind === "protocol"),
      );
    }
  }

  /** @internal */
  push(chunk: StreamChunk): void {
    if (this.ended || this.failure || chunk.seq <= this.receivedSeq) return;
    if (this.queue.length >= this.queueSize) {
      this.fail(
        new AIStreamError({
          kind: "protocol",
          code: "queue_overflow",
          message: `stream ${this.name}: more than ${this.queueSize} chunks waited for the consumer`,
          ...(this.streamId !== undefined ? { streamId: this.streamId } : {}),
        }),
      );
      this.socket.unregister(this, true);
      return;
    }
    this.receivedSeq = chunk.seq;
    this.streamId ??= chunk.id;
    this.queue.push(chunk);
    if (chunk.type === "done") {
      this.ended = true;
      this.socket.unregister(this, false);
    }
    this.wake?.();
  }

  /** @internal */
  fail(err: AIStreamError): void {
    if (this.ended || this.failure) return;
    this.failure = err;
    this.wake?.();
  }

  /** @internal */
  reconnecting(attempt: number, delayMs: number, cause: unknown): void {
    this.opts.onReconnect?.({
      streamId: this.streamId ?? this.name,
      attempt,
      delayMs,
      lastSeq: this.receivedSeq,
      cause,
    });
  }

  /** @internal */
  resumed(): void {
    this.opts.onResumed?.({ streamId: this.streamId ?? this.name, lastSeq: this.receivedSeq });
  }

  protected cancelOnServer(): void {
    this.socket.unregister(this, true);
  }
}

/** Opens (lazily, on the first stream) a multiplexing socket to `url` (the gateway's `ws(s)://…/v1/ws`). */
export function connect(url: string, options: SocketOptions = {}): AIStreamSocket {
  return new AIStreamSocket(url, options);
}
