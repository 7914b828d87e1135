import { createParser, type EventSourceMessage, type ParseError } from "eventsource-parser";
import { AIStreamError } from "./errors.js";
import type { AIStream, StreamChatOptions } from "./options.js";
import type { ChatRequest, StreamChunk } from "./types.js";
import { Aborted, backoffDelay, raceAbort, sleep } from "./internal/async.js";
import { BaseStream, resolveResume, type ResolvedResume } from "./internal/base-stream.js";
import { parseChunk } from "./internal/chunks.js";
import { headerRecord, httpError, retryableStatus, retryAfterMs } from "./internal/http.js";
import { defaultStreamUrl } from "./internal/urls.js";

const DEFAULT_MAX_EVENT = 8 * 1024 * 1024;
/** How long an aborted stream waits for the `POST` answer to learn the stream id it must cancel. */
const ABORT_ID_WAIT_MS = 10_000;

type ReadOutcome = { kind: "done" } | { kind: "dropped"; cause: unknown };

/** Native SSE over fetch: `POST` to start, `GET …/streams/{id}` with `Last-Event-ID` to resume, `DELETE` to abort. */
export class SseStream extends BaseStream {
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly resume: ResolvedResume;
  private readonly headers: Record<string, string>;
  private serverRetryMs: number | undefined;
  /** The `POST` still waiting for its answer, so that an abort can still learn the id to cancel. */
  private pendingPost: Promise<Response> | undefined;
  /** Aborts the current connection's fetch. */
  private connection: AbortController | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly request: ChatRequest | undefined,
    protected override readonly opts: StreamChatOptions,
    resumeFrom?: { streamId: string; after: number },
  ) {
    super(opts);
    const f = opts.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new TypeError("no fetch: pass options.fetch");
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.resume = resolveResume(opts.resume, request);
    this.headers = headerRecord(opts.headers);
    if (resumeFrom) {
      this.streamId = resumeFrom.streamId;
      this.lastSeq = resumeFrom.after;
    }
  }

  private streamUrl(id: string): string {
    return this.opts.streamUrl ? this.opts.streamUrl(id) : defaultStreamUrl(this.endpoint, id);
  }

  protected async *source(): AsyncGenerator<StreamChunk, void, undefined> {
    let resuming = this.request === undefined;
    let attempt = 0;
    let seqAtDrop = Number.NaN;
    for (;;) {
      let res: Response | undefined;
      let cause: unknown;
      let minDelay = 0;
      if (!resuming) {
        res = await this.post();
      } else {
        try {
          res = await this.get();
        } catch (e) {
          if (e instanceof Aborted) throw e;
          cause = e;
        }
        if (res && res.status === 204) {
          void res.body?.cancel().catch(() => {});
          if (this.finished) return;
          throw new AIStreamError({
            kind: "network",
            code: "stream_expired",
            message: `stream ${this.streamId} has finished and the server no longer keeps its chunks`,
            ...this.idField(),
          });
        }
        if (res && !res.ok) {
          if (!retryableStatus(res.status)) throw await httpError(res, this.streamId);
          minDelay = retryAfterMs(res) ?? 0;
          cause = await httpError(res, this.streamId);
          res = undefined;
        }
        if (res) this.opts.onResumed?.({ streamId: this.streamId!, lastSeq: this.lastSeq });
      }
      if (res) {
        const outcome = yield* this.read(res);
        if (outcome.kind === "done" || this.finished) return;
        cause = outcome.cause;
      }
      // the connection is gone before [DONE]
      if (!this.resume.enabled || this.streamId === undefined) {
        throw new AIStreamError({
          kind: "network",
          code: "connection_lost",
          message:
            this.streamId === undefined
              ? "the connection was lost before the stream id was known"
              : `the connection to stream ${this.streamId} was lost (resume is off)`,
          retryable: true,
          ...this.idField(),
          cause,
        });
      }
      attempt = this.lastSeq === seqAtDrop ? attempt + 1 : 1;
      seqAtDrop = this.lastSeq;
      if (attempt > this.resume.maxAttempts) {
        throw new AIStreamError({
          kind: "network",
          code: "resume_failed",
          message: `stream ${this.streamId} could not be resumed after ${this.resume.maxAttempts} attempts`,
          retryable: true,
          ...this.idField(),
          cause,
        });
      }
      const base = this.serverRetryMs ?? this.resume.initialDelayMs;
      const delayMs = Math.max(minDelay, backoffDelay(attempt, base, this.resume.maxDelayMs));
      this.opts.onReconnect?.({ streamId: this.streamId, attempt, delayMs, lastSeq: this.lastSeq, cause });
      await sleep(delayMs, this.ctrl.signal);
      resuming = true;
    }
  }

  private idField(): { streamId?: string } {
    return this.streamId !== undefined ? { streamId: this.streamId } : {};
  }

  private async post(): Promise<Response> {
    const body: ChatRequest = { ...this.request! };
    if (this.resume.enabled && body.resumable === undefined) body.resumable = true;
    const connection = (this.connection = new AbortController());
    const p = this.fetchFn(this.endpoint, {
      method: "POST",
      headers: { ...this.headers, "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: connection.signal,
    });
    this.pendingPost = p;
    let res: Response;
    try {
      res = await raceAbort(p, this.ctrl.signal);
    } catch (e) {
      if (e instanceof Aborted) throw e;
      throw new AIStreamError({
        kind: "network",
        code: "connection_failed",
        message: `could not reach ${this.endpoint}: ${e instanceof Error ? e.message : String(e)}`,
        retryable: true,
        cause: e,
      });
    } finally {
      this.pendingPost = undefined;
    }
    if (!res.ok || res.status === 204) throw await httpError(res, undefined);
    return res;
  }

  private get(): Promise<Response> {
    const connection = (this.connection = new AbortController());
    return raceAbort(
      this.fetchFn(this.streamUrl(this.streamId!), {
        method: "GET",
        headers: { ...this.headers, Accept: "text/event-stream", "Last-Event-ID": String(this.lastSeq) },
        signal: connection.signal,
      }),
      this.ctrl.signal,
    );
  }

  /** Reads one response body; yields its chunks; says whether it ended with `[DONE]` or dropped. */
  private async *read(res: Response): AsyncGenerator<StreamChunk, ReadOutcome, undefined> {
    if (this.streamId === undefined) this.streamId = res.headers.get("X-Stream-Id") ?? undefined;
    if (!res.body) return { kind: "dropped", cause: new Error("the response has no body") };
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let events: EventSourceMessage[] = [];
    let parseError: ParseError | undefined;
    const parser = createParser({
      onEvent: (e) => events.push(e),
      onRetry: (ms) => {
        this.serverRetryMs = ms;
      },
      onError: (e) => {
        if (e.type === "max-buffer-size-exceeded") parseError = e;
      },
      maxBufferSize: this.opts.maxEventSize ?? DEFAULT_MAX_EVENT,
    });
    let finishedReading = false;
    try {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await raceAbort(reader.read(), this.ctrl.signal);
        } catch (e) {
          if (e instanceof Aborted) throw e;
          return { kind: "dropped", cause: e };
        }
        if (r.done) {
          finishedReading = true;
          parser.feed(decoder.decode());
        } else {
          parser.feed(decoder.decode(r.value, { stream: true }));
        }
        if (parseError) {
          throw new AIStreamError({
            kind: "protocol",
            code: "event_too_large",
            message: `an SSE event exceeded ${this.opts.maxEventSize ?? DEFAULT_MAX_EVENT} characters`,
            ...this.idField(),
            cause: parseError,
          });
        }
        const batch = events;
        events = [];
        for (const ev of batch) {
          if (ev.event !== undefined && ev.event !== "message") continue;
          if (ev.data === "[DONE]") {
            this.finished = true;
            return { kind: "done" };
          }
          yield parseChunk(ev.data, this.streamId);
        }
        if (finishedReading) return { kind: "dropped", cause: new Error("the stream ended without [DONE]") };
      }
    } finally {
      if (!finishedReading) void reader.cancel().catch(() => {});
    }
  }

  protected cancelOnServer(): void {
    if (this.streamId !== undefined) {
      this.connection?.abort();
      this.sendDelete(this.streamId);
      return;
    }
    const pending = this.pendingPost;
    const connection = this.connection;
    if (!pending) {
      connection?.abort();
      return;
    }
    // the id arrives with the response headers: wait for them (bounded), then cancel
    const timer = setTimeout(() => connection?.abort(), ABORT_ID_WAIT_MS);
    pending.then(
      (res) => {
        clearTimeout(timer);
        const id = res.headers.get("X-Stream-Id");
        void res.body?.cancel().catch(() => {});
        if (id) this.sendDelete(id);
      },
      () => clearTimeout(timer),
    );
  }

  private sendDelete(id: string): void {
    try {
      this.fetchFn(this.streamUrl(id), { method: "DELETE", headers: this.headers, keepalive: true }).then(
        (res) => void res.body?.cancel().catch(() => {}),
        () => {},
      );
    } catch {
      // best effort
    }
  }
}

/**
 * Starts a native SSE stream: `POST endpoint` with the request as JSON.
 * See {@link streamChat} for the semantics.
 */
export function streamSse(endpoint: string, request: ChatRequest, options: StreamChatOptions = {}): AIStream {
  return new SseStream(endpoint, request, options);
}

/** Options of {@link resumeChat}. */
export interface ResumeChatOptions extends StreamChatOptions {
  /** The seq of the last chunk already received (-1, the default, replays the whole kept stream). */
  after?: number;
}

/**
 * Follows an existing stream from where a client left it: `GET …/streams/{id}` with
 * `Last-Event-ID: after`, then live to the end, reconnecting as {@link streamChat} does.
 * `endpoint` is the same `POST` endpoint the stream was started with (or pass `streamUrl`).
 */
export function resumeChat(endpoint: string, streamId: string, options: ResumeChatOptions = {}): AIStream {
  return new SseStream(endpoint, undefined, options, { streamId, after: options.after ?? -1 });
}
