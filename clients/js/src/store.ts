import { Accumulator, type Accumulated } from "./accumulate.js";
import { AIStreamError } from "./errors.js";
import type { AIStream, StreamChatOptions } from "./options.js";
import { resumeChat } from "./sse.js";
import { streamChat } from "./stream.js";
import type { ChatRequest } from "./types.js";
import { toAIStreamError } from "./internal/base-stream.js";
import type { AIStreamSocket } from "./ws.js";

/** Where a UI stream is. */
export type AIStreamStatus = "idle" | "streaming" | "reconnecting" | "done" | "error" | "aborted";

/** What a UI shows: the accumulated stream plus its status. */
export interface AIStreamState extends Accumulated {
  status: AIStreamStatus;
  /** The failure behind `status: "error"` (an `error` chunk, an HTTP answer, a lost connection). */
  error: AIStreamError | undefined;
}

/** Schedules one UI update; `requestAnimationFrame` by default. */
export interface FrameScheduler {
  request(callback: () => void): unknown;
  cancel(handle: unknown): void;
}

/** `requestAnimationFrame` where there is one, else a 16 ms timer (a background tab or a server). */
export const defaultFrameScheduler: FrameScheduler = {
  request(cb) {
    if (typeof globalThis.requestAnimationFrame === "function") {
      return { raf: globalThis.requestAnimationFrame(() => cb()) };
    }
    return { timer: setTimeout(cb, 16) };
  },
  cancel(handle) {
    const h = handle as { raf?: number; timer?: ReturnType<typeof setTimeout> };
    if (h.raf !== undefined) globalThis.cancelAnimationFrame?.(h.raf);
    if (h.timer !== undefined) clearTimeout(h.timer);
  },
};

/** Options of an {@link AIStreamStore} (and of `useAIStream`). */
export interface AIStreamStoreOptions extends Omit<
  StreamChatOptions,
  "signal" | "errors" | "onChunk" | "onReconnect" | "onResumed"
> {
  /** Fields merged into every request (e.g. `provider`, `model`, `backpressure`). */
  body?: Partial<ChatRequest>;
  /** Turns `start("text")` into a request (default: `body` plus one user message). */
  prepare?: (input: string) => ChatRequest;
  /** A shared multiplexing socket to use for `transport: "ws"` (default: one socket per stream). */
  socket?: AIStreamSocket;
  /** Called with each chunk as it arrives (not batched). */
  onChunk?: StreamChatOptions["onChunk"];
  /** Called once when a stream has ended well. */
  onFinish?: (result: Accumulated) => void;
  /** When UI updates happen (default: at most once per animation frame). */
  scheduler?: FrameScheduler;
}

const EMPTY: Accumulated = new Accumulator().value;

/**
 * Framework-free state of one UI stream at a time: chunks go into an {@link Accumulator}
 * outside any UI state, and listeners hear of changes at most once per frame (status changes
 * at once). `start` aborts the stream before it; `dispose` aborts without a status change.
 * Works with any UI library that can subscribe to a store (React's `useSyncExternalStore`, …).
 */
export class AIStreamStore {
  private acc = new Accumulator();
  private status: AIStreamStatus = "idle";
  private error: AIStreamError | undefined;
  private snapshot: AIStreamState = { ...EMPTY, status: "idle", error: undefined };
  private readonly listeners = new Set<() => void>();
  private frame: unknown;
  private frameScheduled = false;
  private current: AbortController | undefined;
  private generation = 0;

  constructor(
    public endpoint: string,
    public options: AIStreamStoreOptions = {},
  ) {}

  /** Listens for changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The current state; the same object until the next notification. */
  getSnapshot = (): AIStreamState => this.snapshot;

  /** Starts a stream from a prompt or a full request, aborting the one before. */
  start = (input: string | ChatRequest): void => {
    const request = this.toRequest(input);
    this.begin((signal, hooks) => {
      const opts = this.streamOptions(signal, hooks);
      if (this.options.transport === "ws" && this.options.socket) {
        return this.options.socket.stream(request, opts);
      }
      return streamChat(this.endpoint, request, opts);
    }, true);
  };

  /** Aborts the running stream (the server is told); status becomes `aborted`. */
  abort = (): void => {
    if (!this.current) return;
    this.stop();
    this.setStatus("aborted");
  };

  /**
   * Follows the last stream again from the last chunk received (`GET …/streams/{id}` with
   * `Last-Event-ID`), e.g. after it failed with a lost connection. Does nothing when there is
   * no stream id or the stream is complete.
   */
  resume = (): void => {
    const id = this.acc.value.streamId ?? this.knownStreamId;
    if (id === undefined || this.acc.value.done) return;
    const after = this.acc.value.lastSeq;
    this.begin(
      (signal, hooks) => resumeChat(this.httpEndpoint(), id, { ...this.streamOptions(signal, hooks), after }),
      false,
    );
  };

  /** Aborts a running stream without a status change (the UI is going away). */
  dispose = (): void => {
    this.stop();
    this.cancelFrame();
  };

  private knownStreamId: string | undefined;
  /** The accumulated value behind the current snapshot. */
  private shown: Accumulated = EMPTY;

  private httpEndpoint(): string {
    // resume always goes over SSE; a WebSocket endpoint maps back to the native SSE one
    return this.endpoint.replace(/^ws(s?):/i, "http$1:").replace(/\/ws(?=$|[?#])/, "/stream");
  }

  private toRequest(input: string | ChatRequest): ChatRequest {
    if (typeof input !== "string") return { ...this.options.body, ...input };
    if (this.options.prepare) return this.options.prepare(input);
    return { ...this.options.body, messages: [{ role: "user", content: input }] };
  }

  private streamOptions(
    signal: AbortSignal,
    hooks: Pick<StreamChatOptions, "onChunk" | "onReconnect" | "onResumed">,
  ): StreamChatOptions {
    const {
      body: _b,
      prepare: _p,
      socket: _s,
      onFinish: _f,
      scheduler: _sc,
      onChunk: _c,
      onError: _e,
      ...rest
    } = this.options;
    return { ...rest, ...hooks, signal, errors: "yield" };
  }

  private begin(
    make: (
      signal: AbortSignal,
      hooks: Pick<StreamChatOptions, "onChunk" | "onReconnect" | "onResumed">,
    ) => AIStream,
    fresh: boolean,
  ): void {
    this.stop();
    const generation = ++this.generation;
    const ctrl = new AbortController();
    this.current = ctrl;
    if (fresh) {
      this.acc = new Accumulator();
      this.knownStreamId = undefined;
    }
    this.error = undefined;
    this.setStatus("streaming");
    const live = () => generation === this.generation && !ctrl.signal.aborted;
    const hooks = {
      onChunk: (c: Parameters<NonNullable<StreamChatOptions["onChunk"]>>[0]) => this.options.onChunk?.(c),
      onReconnect: () => {
        if (live()) this.setStatus("reconnecting");
      },
      onResumed: () => {
        if (live()) this.setStatus("streaming");
      },
    };
    void this.run(make, hooks, ctrl, live);
  }

  private async run(
    make: (
      signal: AbortSignal,
      hooks: Pick<StreamChatOptions, "onChunk" | "onReconnect" | "onResumed">,
    ) => AIStream,
    hooks: Pick<StreamChatOptions, "onChunk" | "onReconnect" | "onResumed">,
    ctrl: AbortController,
    live: () => boolean,
  ): Promise<void> {
    // Nothing is sent within the current task: a StrictMode remount (effect, cleanup, effect)
    // aborts this start before it reaches the network, so only one stream is ever opened.
    await Promise.resolve();
    if (!live()) return;
    let stream: AIStream | undefined;
    try {
      stream = make(ctrl.signal, hooks);
      for await (const chunk of stream) {
        if (!live()) return;
        this.knownStreamId ??= chunk.id;
        if (this.acc.push(chunk)) this.scheduleEmit();
      }
      if (!live()) return;
      this.current = undefined;
      const result = this.acc.value;
      this.error = result.error;
      this.setStatus(result.error ? "error" : result.finishReason === "aborted" ? "aborted" : "done");
      if (result.error) this.options.onError?.(result.error);
      else this.options.onFinish?.(result);
    } catch (e) {
      if (!live()) return;
      this.current = undefined;
      this.knownStreamId ??= stream?.streamId;
      this.error = toAIStreamError(e, stream?.streamId);
      this.setStatus("error");
      this.options.onError?.(this.error);
    }
  }

  private stop(): void {
    this.generation++;
    const c = this.current;
    this.current = undefined;
    c?.abort();
  }

  private setStatus(status: AIStreamStatus): void {
    this.status = status;
    this.emitNow();
  }

  private scheduleEmit(): void {
    if (this.frameScheduled) return;
    this.frameScheduled = true;
    const scheduler = this.options.scheduler ?? defaultFrameScheduler;
    this.frame = scheduler.request(() => {
      this.frameScheduled = false;
      this.frame = undefined;
      this.emitNow();
    });
  }

  private cancelFrame(): void {
    if (!this.frameScheduled) return;
    this.frameScheduled = false;
    (this.options.scheduler ?? defaultFrameScheduler).cancel(this.frame);
    this.frame = undefined;
  }

  private emitNow(): void {
    this.cancelFrame();
    const v = this.acc.value;
    const error = this.error ?? (this.status === "error" ? v.error : undefined);
    const s = this.snapshot;
    if (v === this.shown && s.status === this.status && s.error === error) return; // nothing new to see
    this.shown = v;
    this.snapshot = { ...v, status: this.status, error };
    for (const l of [...this.listeners]) l();
  }
}
