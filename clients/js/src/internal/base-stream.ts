import { AIStreamError, isAIStreamError } from "../errors.js";
import type { AIStream, CommonStreamOptions, ResumeOptions } from "../options.js";
import type { ErrorChunk, StreamChunk } from "../types.js";
import { Aborted } from "./async.js";

export interface ResolvedResume {
  enabled: boolean;
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export function resolveResume(
  resume: boolean | ResumeOptions | undefined,
  request?: { resumable?: unknown },
): ResolvedResume {
  const o: ResumeOptions = typeof resume === "object" ? resume : {};
  const enabled = resume !== false && request?.resumable !== false;
  return {
    enabled,
    maxAttempts: o.maxAttempts ?? 5,
    initialDelayMs: o.initialDelayMs ?? 1000,
    maxDelayMs: o.maxDelayMs ?? 30_000,
  };
}

/** Wraps anything thrown by a transport into an {@link AIStreamError}. */
export function toAIStreamError(e: unknown, streamId: string | undefined): AIStreamError {
  if (isAIStreamError(e)) return e;
  return new AIStreamError({
    kind: "network",
    code: "connection_lost",
    message: e instanceof Error ? e.message : String(e),
    retryable: true,
    ...(streamId !== undefined ? { streamId } : {}),
    cause: e,
  });
}

/**
 * What every stream does whatever its transport: dedupe by seq, `onChunk`/`onError`, the error
 * mode, abort from the signal or `abort()`, abort on early exit, and exactly one pass.
 *
 * A transport implements {@link source} (chunks in order; it may repeat chunks after a
 * reconnect, they are dropped here; it returns when the stream is over) and {@link cancelOnServer}.
 */
export abstract class BaseStream implements AIStream {
  streamId: string | undefined;
  lastSeq = -1;
  /** Aborted when the stream is aborted or abandoned: every wait of the transport races it. */
  protected readonly ctrl = new AbortController();
  /** Set once the terminal chunk (or `[DONE]`) arrived: nothing is left to cancel. */
  protected finished = false;
  private iterated = false;
  private readonly detach: () => void;

  protected constructor(protected readonly opts: CommonStreamOptions) {
    const signal = opts.signal;
    if (signal) {
      const onAbort = () => this.abort();
      if (signal.aborted) {
        this.ctrl.abort();
        this.detach = () => {};
      } else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.detach = () => signal.removeEventListener("abort", onAbort);
      }
    } else {
      this.detach = () => {};
    }
  }

  /** Yields the stream's chunks; returns when the stream has ended. */
  protected abstract source(): AsyncGenerator<StreamChunk, void, undefined>;

  /** Best effort, never throws: tells the server to cancel the stream. */
  protected abstract cancelOnServer(): void;

  abort(): void {
    if (this.ctrl.signal.aborted) return;
    this.ctrl.abort();
    this.detach();
    if (!this.finished) this.cancelOnServer();
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    if (this.iterated) throw new TypeError("an AIStream can be iterated only once");
    this.iterated = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<StreamChunk, void, undefined> {
    let errorChunk: ErrorChunk | undefined;
    let ended = false;
    try {
      if (this.ctrl.signal.aborted) return;
      for await (const chunk of this.source()) {
        if (this.ctrl.signal.aborted) return;
        if (chunk.seq <= this.lastSeq) continue;
        this.lastSeq = chunk.seq;
        this.streamId ??= chunk.id;
        if (chunk.type === "done") this.finished = true;
        if (chunk.type === "error") {
          errorChunk = chunk;
          this.opts.onError?.(AIStreamError.fromChunk(chunk));
        }
        this.opts.onChunk?.(chunk);
        yield chunk;
        if (this.ctrl.signal.aborted) return;
      }
      ended = true;
      this.finished = true;
    } catch (e) {
      if (e instanceof Aborted || this.ctrl.signal.aborted) return;
      const err = toAIStreamError(e, this.streamId);
      // a lost connection may still be resumed later (resumeChat), so the server keeps it
      if (err.kind === "network" || err.kind === "http") this.finished = true;
      else this.abort(); // a protocol error: stop the stream on the server too
      ended = true;
      this.opts.onError?.(err);
      throw err;
    } finally {
      // an early exit of the consumer (break, return, throw in the loop) aborts the stream
      if (!ended) this.abort();
      this.detach();
    }
    if (errorChunk && (this.opts.errors ?? "throw") === "throw") {
      throw AIStreamError.fromChunk(errorChunk);
    }
  }
}
