import { readFileSync } from "node:fs";
import { vi } from "vitest";
import type { StreamChunk } from "../src/index.js";

export const encoder = new TextEncoder();

/** A fixture file's text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

/** One native SSE event for a chunk. */
export function sseEvent(chunk: StreamChunk | Record<string, unknown>): string {
  return `id: ${(chunk as { seq: number }).seq}\ndata: ${JSON.stringify(chunk)}\n\n`;
}

/** A whole native SSE body. */
export function sseBody(chunks: StreamChunk[], opts: { retry?: number; done?: boolean } = {}): string {
  let s = opts.retry !== undefined ? `retry: ${opts.retry}\n\n` : "";
  for (const c of chunks) s += sseEvent(c);
  if (opts.done !== false) s += "data: [DONE]\n\n";
  return s;
}

/** `n` content chunks of stream `id`, then its done chunk. */
export function contentStream(n: number, id = "st_1", delta = (i: number) => `t${i} `): StreamChunk[] {
  const out: StreamChunk[] = [];
  for (let i = 0; i < n; i++) out.push({ id, seq: i, type: "content", delta: delta(i) });
  out.push({
    id,
    seq: n,
    type: "done",
    finishReason: "stop",
    usage: { inputTokens: 1, outputTokens: n, totalTokens: n + 1 },
  });
  return out;
}

export interface BodyPlan {
  /** The pieces each read returns. */
  pieces: Uint8Array[];
  /** How the body ends after its pieces: close (default) or a network error. */
  end?: "close" | "error" | "hang";
}

/** Cuts `bytes` at the given offsets. */
export function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let last = 0;
  for (const o of [...offsets].sort((a, b) => a - b)) {
    if (o <= last || o >= bytes.length) continue;
    out.push(bytes.slice(last, o));
    last = o;
  }
  out.push(bytes.slice(last));
  return out;
}

/** A body stream that hands out one piece per read, then ends as planned; records cancellation (or abort of its fetch). */
export function bodyStream(
  plan: BodyPlan,
  signal?: AbortSignal,
): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let i = 0;
  let cancelled = false;
  let ctl: ReadableStreamDefaultController<Uint8Array> | undefined;
  signal?.addEventListener("abort", () => {
    cancelled = true; // the fetch was aborted: the connection is torn down
    try {
      ctl?.error(new DOMException("The operation was aborted.", "AbortError"));
    } catch {
      // already closed
    }
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        ctl = c;
      },
      pull(c) {
        if (i < plan.pieces.length) {
          c.enqueue(plan.pieces[i++]!);
          return;
        }
        const end = plan.end ?? "close";
        if (end === "close") c.close();
        else if (end === "error") c.error(new TypeError("network error"));
        else return new Promise<void>(() => {}); // never more data
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, cancelled: () => cancelled };
}

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
}

type Handler = (call: Call) => Response | Promise<Response>;

/**
 * A scripted fetch: each request goes to the next handler queued for its method (or the
 * default one), and every call is recorded.
 */
export class FakeFetch {
  readonly calls: Call[] = [];
  private readonly queues = new Map<string, Handler[]>();
  fallback: Handler = () => new Response(JSON.stringify({ id: "x", aborted: true }), { status: 200 });

  on(method: string, handler: Handler): this {
    const q = this.queues.get(method) ?? [];
    q.push(handler);
    this.queues.set(method, q);
    return this;
  }

  readonly fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const call: Call = {
      method: init.method ?? "GET",
      url: typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      headers,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined,
    };
    this.calls.push(call);
    const handler = this.queues.get(call.method)?.shift() ?? this.fallback;
    if (call.signal?.aborted) throw new DOMException("The operation was aborted.", "AbortError");
    return handler(call);
  }) as unknown as typeof fetch & ReturnType<typeof vi.fn>;

  method(m: string): Call[] {
    return this.calls.filter((c) => c.method === m);
  }
}

/** An SSE response with the given body pieces. */
export function sseResponse(plan: BodyPlan, opts: { streamId?: string; signal?: AbortSignal } = {}) {
  const body = bodyStream(plan, opts.signal);
  const headers: Record<string, string> = { "Content-Type": "text/event-stream; charset=utf-8" };
  if (opts.streamId) headers["X-Stream-Id"] = opts.streamId;
  return { response: new Response(body.stream, { status: 200, headers }), cancelled: body.cancelled };
}

/** Collects a stream's chunks, driving fake timers until it settles. */
export async function drain<T>(
  iterable: AsyncIterable<T>,
  opts: { fakeTimers?: boolean } = {},
): Promise<T[]> {
  const out: T[] = [];
  const done = (async () => {
    for await (const c of iterable) out.push(c);
    return out;
  })();
  if (!opts.fakeTimers) return done;
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10_000 && !settled; i++) await vi.advanceTimersByTimeAsync(50);
  return done;
}

/** Runs `fn` and fails when any promise rejection was left unhandled meanwhile. */
export async function noUnhandledRejections(fn: () => Promise<void>): Promise<void> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await fn();
    // let any stray rejection surface
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (seen.length > 0) throw new Error(`unhandled rejections: ${seen.map(String).join("; ")}`);
}
