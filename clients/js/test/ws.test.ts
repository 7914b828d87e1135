import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AIStreamError,
  connect,
  streamChat,
  type AIStream,
  type SocketStatus,
  type StreamChunk,
} from "../src/index.js";
import { fakeWebSocket } from "./fake-ws.js";
import { contentStream } from "./helpers.js";

const WS_URL = "ws://gw.test/v1/ws";
const REQUEST = {
  provider: "simulated",
  model: "echo",
  messages: [{ role: "user" as const, content: "hi" }],
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const tick = () => vi.advanceTimersByTimeAsync(0);

/** Starts consuming `s`; the chunks land in the returned array, the promise settles at the end. */
function consume(s: AIStream): { seen: StreamChunk[]; done: Promise<unknown> } {
  const seen: StreamChunk[] = [];
  const done = (async () => {
    for await (const c of s) seen.push(c);
  })().catch((e: unknown) => e);
  return { seen, done };
}

function tag(name: string, c: StreamChunk): Record<string, unknown> {
  return { ...c, stream: name };
}

describe("AIStreamSocket", () => {
  it("multiplexes 3 interleaved streams; aborts one; resumes one after a reconnect", async () => {
    const fws = fakeWebSocket();
    const statuses: SocketStatus[] = [];
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket, onStatusChange: (s) => statuses.push(s) });
    const streams = {
      a: contentStream(4, "st_a", (i) => `a${i}`),
      b: contentStream(4, "st_b", (i) => `b${i}`),
      c: contentStream(4, "st_c", (i) => `c${i}`),
    };
    const abortB = new AbortController();
    const reconnects: number[] = [];
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    const b = consume(socket.stream(REQUEST, { id: "b", signal: abortB.signal }));
    const c = consume(socket.stream(REQUEST, { id: "c", onReconnect: (i) => reconnects.push(i.lastSeq) }));
    await tick();
    expect(fws.sockets).toHaveLength(1); // one socket for all three
    const ws = fws.last();
    expect(ws.url).toBe(WS_URL);
    ws.open();
    expect(ws.sentOfType("start")).toEqual([
      { type: "start", stream: "a", request: { ...REQUEST, resumable: true } },
      { type: "start", stream: "b", request: { ...REQUEST, resumable: true } },
      { type: "start", stream: "c", request: { ...REQUEST, resumable: true } },
    ]);

    // interleaved: a0 b0 c0 a1 b1 c1
    for (let i = 0; i < 2; i++) for (const n of ["a", "b", "c"] as const) ws.message(tag(n, streams[n][i]!));
    await tick();
    expect(a.seen.map((x) => x.seq)).toEqual([0, 1]);
    expect(b.seen.map((x) => x.seq)).toEqual([0, 1]);

    // abort b: the server is told, the consumer ends quietly, late messages for b are ignored
    abortB.abort();
    await tick();
    expect(ws.sentOfType("abort")).toEqual([{ type: "abort", stream: "b" }]);
    expect(await b.done).toBeUndefined();
    ws.message(tag("b", streams.b[2]!));

    // a finishes
    for (const x of streams.a.slice(2)) ws.message(tag("a", x));
    ws.message(tag("c", streams.c[2]!));
    await tick();
    expect(await a.done).toBeUndefined();
    expect(a.seen.map((x) => (x.type === "content" ? x.delta : x.type))).toEqual([
      "a0",
      "a1",
      "a2",
      "a3",
      "done",
    ]);

    // the socket drops with c at seq 2; it reconnects and resumes c only
    ws.drop(1006);
    expect(socket.status).toBe("reconnecting");
    expect(reconnects).toEqual([2]);
    await vi.advanceTimersByTimeAsync(999);
    expect(fws.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fws.sockets).toHaveLength(2);
    const ws2 = fws.last();
    ws2.open();
    expect(ws2.sent).toEqual([{ type: "resume", stream: "c", after: 2 }]);
    // the server replays from 1 (an overlap): the consumer still sees each seq once
    for (const x of streams.c.slice(1)) ws2.message(tag("c", x));
    expect(await c.done).toBeUndefined();
    expect(c.seen.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(b.seen.map((x) => x.seq)).toEqual([0, 1]);
    expect(statuses).toEqual(["connecting", "open", "reconnecting", "open"]);
    socket.close();
    expect(ws2.closedWith).toEqual({ code: 1000, reason: "client closed" });
  });

  it("a stream started while the socket is open is sent at once; one started later reopens it", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const first = consume(socket.stream(REQUEST, { id: "x" }));
    await tick();
    fws.last().open();
    const second = consume(socket.stream(REQUEST, { id: "y" }));
    await tick();
    expect(
      fws
        .last()
        .sentOfType("start")
        .map((m) => m.stream),
    ).toEqual(["x", "y"]);
    for (const ch of contentStream(1, "st_x")) fws.last().message(tag("x", ch));
    for (const ch of contentStream(1, "st_y")) fws.last().message(tag("y", ch));
    await Promise.all([first.done, second.done]);
    expect(first.seen).toHaveLength(2);
    expect(second.seen).toHaveLength(2);
  });

  it("a consumer that falls behind its bounded queue gets queue_overflow and the stream is aborted", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket, queueSize: 3 });
    const it_ = socket.stream(REQUEST, { id: "q" })[Symbol.asyncIterator]();
    const first = it_.next();
    await tick();
    const ws = fws.last();
    ws.open();
    const chunks = contentStream(10, "st_q");
    for (const ch of chunks) ws.message(tag("q", ch));
    expect((await first).value).toMatchObject({ seq: 0 });
    const rest: unknown[] = [];
    let err: unknown;
    try {
      for (;;) {
        const r = await it_.next();
        if (r.done) break;
        rest.push(r.value);
      }
    } catch (e) {
      err = e;
    }
    expect(rest.map((c) => (c as StreamChunk).seq)).toEqual([1, 2]); // the rest of what the queue held
    expect(err).toBeInstanceOf(AIStreamError);
    expect(err).toMatchObject({ kind: "protocol", code: "queue_overflow" });
    expect(ws.sentOfType("abort")).toEqual([{ type: "abort", stream: "q" }]);
  });

  it("a message that is not JSON fails every stream with a protocol error", async () => {
    const fws = fakeWebSocket();
    const errors: AIStreamError[] = [];
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket, onError: (e) => errors.push(e) });
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    const b = consume(socket.stream(REQUEST, { id: "b" }));
    await tick();
    fws.last().open();
    fws.last().message("{not json");
    expect(await a.done).toMatchObject({ kind: "protocol", code: "malformed_message" });
    expect(await b.done).toMatchObject({ kind: "protocol", code: "malformed_message" });
    expect(errors).toHaveLength(1);
  });

  it("an error message for one stream (no seq) fails that stream only", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    const b = consume(socket.stream(REQUEST, { id: "b" }));
    await tick();
    const ws = fws.last();
    ws.open();
    ws.message({
      type: "error",
      stream: "a",
      error: { code: "invalid_request", message: "model: unknown", field: "model" },
    });
    expect(await a.done).toMatchObject({ kind: "http", code: "invalid_request", field: "model" });
    for (const ch of contentStream(1, "st_b")) ws.message(tag("b", ch));
    expect(await b.done).toBeUndefined();
    expect(b.seen).toHaveLength(2);
  });

  it("a malformed chunk fails its stream and aborts it on the server", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    await tick();
    const ws = fws.last();
    ws.open();
    ws.message({ stream: "a", id: "st_a", seq: 0, type: "content" });
    expect(await a.done).toMatchObject({ kind: "protocol", code: "malformed_chunk" });
    expect(ws.sentOfType("abort")).toEqual([{ type: "abort", stream: "a" }]);
  });

  it("a fatal close code (1008) fails the streams and does not reconnect", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    await tick();
    fws.last().open();
    fws.last().drop(1008, "origin not allowed");
    const namesTheOrigin: unknown = expect.stringContaining("origin not allowed"); // vitest types its matchers as any
    expect(await a.done).toMatchObject({ kind: "protocol", code: "ws_close_1008", message: namesTheOrigin });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fws.sockets).toHaveLength(1);
  });

  it("gives up after maxAttempts reconnects, with doubling delays", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, {
      WebSocket: fws.WebSocket,
      reconnect: { maxAttempts: 2, initialDelayMs: 100 },
    });
    const delays: number[] = [];
    const a = consume(socket.stream(REQUEST, { id: "a", onReconnect: (i) => delays.push(i.delayMs) }));
    await tick();
    fws.last().open();
    fws.last().drop();
    await vi.advanceTimersByTimeAsync(100);
    fws.last().drop(); // the reconnect fails
    await vi.advanceTimersByTimeAsync(200);
    fws.last().drop();
    expect(await a.done).toMatchObject({ kind: "network", code: "resume_failed" });
    expect(delays).toEqual([100, 200]);
    expect(fws.sockets).toHaveLength(3);
  });

  it("a stream with resume off fails with connection_lost when the socket drops", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const a = consume(socket.stream(REQUEST, { id: "a", resume: false }));
    await tick();
    fws.last().open();
    expect(fws.last().sentOfType("start")[0]).toEqual({ type: "start", stream: "a", request: REQUEST });
    fws.last().drop();
    expect(await a.done).toMatchObject({ kind: "network", code: "connection_lost" });
  });

  it("close() aborts every stream on the server and ends their iterations quietly", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    const a = consume(socket.stream(REQUEST, { id: "a" }));
    const b = consume(socket.stream(REQUEST, { id: "b" }));
    await tick();
    const ws = fws.last();
    ws.open();
    socket.close();
    expect(await a.done).toBeUndefined();
    expect(await b.done).toBeUndefined();
    expect(ws.sentOfType("abort").map((m) => m.stream)).toEqual(["a", "b"]);
    expect(ws.closedWith?.code).toBe(1000);
    expect(() => socket.stream(REQUEST)).toThrow(TypeError);
  });

  it("names streams uniquely per socket and refuses a duplicate name", async () => {
    const fws = fakeWebSocket();
    const socket = connect(WS_URL, { WebSocket: fws.WebSocket });
    consume(socket.stream(REQUEST));
    consume(socket.stream(REQUEST));
    consume(socket.stream(REQUEST, { id: "same" }));
    await tick();
    fws.last().open();
    const names = fws
      .last()
      .sentOfType("start")
      .map((m) => m.stream);
    expect(new Set(names).size).toBe(3);
    expect(() => socket.stream(REQUEST, { id: "same" })).toThrow(/already running/);
    socket.close();
  });
});

describe('streamChat with transport: "ws"', () => {
  it("opens its own socket at the /v1/ws of an http endpoint and closes it after done", async () => {
    const fws = fakeWebSocket();
    const s = consume(
      streamChat("https://gw.test/v1/stream", REQUEST, { transport: "ws", WebSocket: fws.WebSocket }),
    );
    await tick();
    const ws = fws.last();
    expect(ws.url).toBe("wss://gw.test/v1/ws");
    ws.open();
    const name = ws.sentOfType("start")[0]!.stream as string;
    for (const ch of contentStream(2, "st_1")) ws.message(tag(name, ch));
    expect(await s.done).toBeUndefined();
    expect(s.seen.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(ws.closedWith?.code).toBe(1000);
  });

  it("an error chunk is yielded, then thrown after done (same as SSE)", async () => {
    const fws = fakeWebSocket();
    const s = consume(
      streamChat("ws://gw.test/v1/ws", REQUEST, { transport: "ws", WebSocket: fws.WebSocket }),
    );
    await tick();
    const ws = fws.last();
    ws.open();
    const name = ws.sentOfType("start")[0]!.stream as string;
    ws.message({
      stream: name,
      id: "st_1",
      seq: 0,
      type: "error",
      error: { code: "rate_limited", message: "slow" },
    });
    ws.message({ stream: name, id: "st_1", seq: 1, type: "done", finishReason: "error" });
    expect(await s.done).toMatchObject({ kind: "upstream", code: "rate_limited" });
    expect(s.seen.map((c) => c.type)).toEqual(["error", "done"]);
  });
});
