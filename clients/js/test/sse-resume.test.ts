import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AIStreamError, resumeChat, streamChat, type ReconnectInfo, type StreamChunk } from "../src/index.js";
import {
  contentStream,
  drain,
  encoder,
  FakeFetch,
  sseBody,
  sseEvent,
  sseResponse,
  type Call,
} from "./helpers.js";

const URL = "http://gw.test/v1/stream";
const REQUEST = {
  provider: "simulated",
  model: "echo",
  messages: [{ role: "user" as const, content: "hi" }],
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

type Drop = "error" | "close" | "torn";

/**
 * A resumable server stream: the first connection (POST) sends chunks 0..dropAt-1 and then
 * drops as `how` says ("torn": half of the next event first); every resume (GET) replays from
 * Last-Event-ID + 1 — `replayOverlap` chunks earlier than asked, to prove the client dedupes —
 * and sends the rest with [DONE].
 */
function resumableServer(
  chunks: StreamChunk[],
  dropAt: number,
  how: Drop,
  opts: { retry?: number; replayOverlap?: number } = {},
) {
  const f = new FakeFetch();
  f.on("POST", () => {
    let text = opts.retry !== undefined ? `retry: ${opts.retry}\n\n` : "";
    for (const c of chunks.slice(0, dropAt)) text += sseEvent(c);
    if (how === "torn" && dropAt < chunks.length) text += sseEvent(chunks[dropAt]!).slice(0, 17);
    return sseResponse(
      { pieces: [encoder.encode(text)], end: how === "error" ? "error" : "close" },
      { streamId: "st_1" },
    ).response;
  });
  const resumeHandler = (call: Call) => {
    const after = Number(call.headers["last-event-id"]);
    const from = Math.max(0, after + 1 - (opts.replayOverlap ?? 0));
    const text = (opts.retry !== undefined ? `retry: ${opts.retry}\n\n` : "") + sseBody(chunks.slice(from));
    return sseResponse({ pieces: [encoder.encode(text)] }, { streamId: "st_1" }).response;
  };
  for (let i = 0; i < 5; i++) f.on("GET", resumeHandler);
  return f;
}

describe("resume after a network drop", () => {
  const chunks = contentStream(8);

  for (const how of ["error", "close", "torn"] as Drop[]) {
    it(`drop (${how}) at every chunk position: each seq is seen once, in order`, async () => {
      for (let dropAt = 0; dropAt < chunks.length; dropAt++) {
        const f = resumableServer(chunks, dropAt, how, { replayOverlap: 2 });
        const got = await drain(streamChat(URL, REQUEST, { fetch: f.fetch }), { fakeTimers: true });
        expect(
          got.map((c) => c.seq),
          `drop at ${dropAt}`,
        ).toEqual(chunks.map((c) => c.seq));
        const gets = f.method("GET");
        expect(gets).toHaveLength(1);
        expect(gets[0]!.url).toBe("http://gw.test/v1/streams/st_1");
        expect(gets[0]!.headers["last-event-id"]).toBe(String(dropAt - 1));
      }
    });
  }

  it("drop at every byte offset of the first response: each seq is seen once, in order", async () => {
    const full = encoder.encode("retry: 10\n\n" + sseBody(chunks));
    for (let offset = 0; offset < full.length - "data: [DONE]\n\n".length; offset++) {
      const f = new FakeFetch();
      f.on(
        "POST",
        () => sseResponse({ pieces: [full.slice(0, offset)], end: "error" }, { streamId: "st_1" }).response,
      );
      f.on("GET", (call) => {
        const after = Number(call.headers["last-event-id"]);
        return sseResponse({ pieces: [encoder.encode(sseBody(chunks.slice(after + 1)))] }).response;
      });
      const got = await drain(streamChat(URL, REQUEST, { fetch: f.fetch }), { fakeTimers: true });
      expect(
        got.map((c) => c.seq),
        `drop at byte ${offset}`,
      ).toEqual(chunks.map((c) => c.seq));
    }
  });

  it("waits the server's retry: value before reconnecting", async () => {
    const f = resumableServer(chunks, 3, "error", { retry: 2500 });
    const infos: ReconnectInfo[] = [];
    const stream = streamChat(URL, REQUEST, { fetch: f.fetch, onReconnect: (i) => infos.push(i) });
    const seen: number[] = [];
    const done = (async () => {
      for await (const c of stream) seen.push(c.seq);
    })();
    await vi.advanceTimersByTimeAsync(2499);
    expect(f.method("GET")).toHaveLength(0);
    const anyTypeError: unknown = expect.any(TypeError); // vitest types its matchers as any
    expect(infos).toEqual([{ streamId: "st_1", attempt: 1, delayMs: 2500, lastSeq: 2, cause: anyTypeError }]);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(f.method("GET")).toHaveLength(1);
    expect(seen).toEqual(chunks.map((c) => c.seq));
  });

  it("survives a drop on every connection (attempts reset after progress)", async () => {
    const f = new FakeFetch();
    const serve = (from: number) => {
      // each connection delivers one new chunk, then the network fails
      const text =
        "retry: 100\n\n" + (from < chunks.length - 1 ? sseEvent(chunks[from]!) : sseBody(chunks.slice(from)));
      return sseResponse(
        { pieces: [encoder.encode(text)], end: from < chunks.length - 1 ? "error" : "close" },
        { streamId: "st_1" },
      ).response;
    };
    f.on("POST", () => serve(0));
    for (let i = 0; i < 20; i++) f.on("GET", (c) => serve(Number(c.headers["last-event-id"]) + 1));
    const infos: ReconnectInfo[] = [];
    const got = await drain(
      streamChat(URL, REQUEST, {
        fetch: f.fetch,
        resume: { maxAttempts: 1 },
        onReconnect: (i) => infos.push(i),
      }),
      {
        fakeTimers: true,
      },
    );
    expect(got.map((c) => c.seq)).toEqual(chunks.map((c) => c.seq));
    expect(f.method("GET").map((c) => c.headers["last-event-id"])).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
    ]);
    expect(infos.every((i) => i.attempt === 1 && i.delayMs === 100)).toBe(true);
  });

  it("doubles the delay per failed attempt and gives up after maxAttempts", async () => {
    const f = new FakeFetch();
    f.on(
      "POST",
      () =>
        sseResponse(
          { pieces: [encoder.encode("retry: 1000\n\n" + sseEvent(chunks[0]!))], end: "error" },
          { streamId: "st_1" },
        ).response,
    );
    for (let i = 0; i < 3; i++) f.on("GET", () => Promise.reject(new TypeError("offline")));
    const infos: ReconnectInfo[] = [];
    const seen: StreamChunk[] = [];
    const stream = streamChat(URL, REQUEST, {
      fetch: f.fetch,
      resume: { maxAttempts: 3 },
      onReconnect: (i) => infos.push(i),
    });
    const result = drain(
      {
        async *[Symbol.asyncIterator]() {
          for await (const c of stream) {
            seen.push(c);
            yield c;
          }
        },
      },
      { fakeTimers: true },
    ).catch((e: unknown) => e);
    const err = await result;
    expect(seen.map((c) => c.seq)).toEqual([0]);
    expect(infos.map((i) => [i.attempt, i.delayMs])).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ]);
    expect(err).toBeInstanceOf(AIStreamError);
    expect(err).toMatchObject({ kind: "network", code: "resume_failed", streamId: "st_1", retryable: true });
    expect(f.method("DELETE")).toHaveLength(0); // a lost stream is left for a later resumeChat
  });

  it("a 503 on resume is retried after its Retry-After; a 404 fails", async () => {
    const f = new FakeFetch();
    f.on(
      "POST",
      () =>
        sseResponse(
          { pieces: [encoder.encode("retry: 10\n\n" + sseEvent(chunks[0]!))], end: "error" },
          { streamId: "st_1" },
        ).response,
    );
    f.on("GET", () => new Response("busy", { status: 503, headers: { "Retry-After": "3" } }));
    f.on(
      "GET",
      () =>
        new Response(JSON.stringify({ error: { code: "not_found", message: "no stream st_1" } }), {
          status: 404,
        }),
    );
    const infos: ReconnectInfo[] = [];
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch, onReconnect: (i) => infos.push(i) }), {
      fakeTimers: true,
    }).catch((e: unknown) => e);
    expect(infos.map((i) => i.delayMs)).toEqual([10, 3000]);
    expect(err).toMatchObject({ kind: "http", status: 404, code: "not_found" });
  });

  it("a 204 on resume (finished, no longer kept) is a stream_expired error", async () => {
    const f = new FakeFetch();
    f.on(
      "POST",
      () =>
        sseResponse({ pieces: [encoder.encode(sseEvent(chunks[0]!))], end: "error" }, { streamId: "st_1" })
          .response,
    );
    f.on("GET", () => new Response(null, { status: 204 }));
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch }), { fakeTimers: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: "network", code: "stream_expired" });
  });

  it("with resume off a drop is a connection_lost error", async () => {
    const f = new FakeFetch();
    f.on(
      "POST",
      () =>
        sseResponse({ pieces: [encoder.encode(sseEvent(chunks[0]!))], end: "error" }, { streamId: "st_1" })
          .response,
    );
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch, resume: false }), {
      fakeTimers: true,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "network", code: "connection_lost", streamId: "st_1" });
    expect(f.method("GET")).toHaveLength(0);
  });

  it("without X-Stream-Id the id comes from the first chunk", async () => {
    const f = resumableServer(chunks, 2, "error");
    const first = f.fetch;
    // strip the header from the POST answer
    const noHeader = (async (u: RequestInfo | URL, init?: RequestInit) => {
      const res = await first(u, init);
      if (init?.method !== "POST") return res;
      return new Response(res.body, { status: 200 });
    }) as typeof fetch;
    const got = await drain(streamChat(URL, REQUEST, { fetch: noHeader }), { fakeTimers: true });
    expect(got.map((c) => c.seq)).toEqual(chunks.map((c) => c.seq));
  });

  it("resumeChat follows an existing stream after a given seq", async () => {
    const f = resumableServer(chunks, 0, "error");
    const got = await drain(resumeChat(URL, "st_1", { fetch: f.fetch, after: 4 }));
    expect(got.map((c) => c.seq)).toEqual([5, 6, 7, 8]);
    expect(f.calls[0]).toMatchObject({
      method: "GET",
      url: "http://gw.test/v1/streams/st_1",
      headers: { "last-event-id": "4" },
    });
  });

  it("streamUrl overrides where resume and abort go", async () => {
    const f = resumableServer(chunks, 3, "error");
    await drain(
      streamChat(URL, REQUEST, { fetch: f.fetch, streamUrl: (id) => `http://other.test/s/${id}` }),
      { fakeTimers: true },
    );
    expect(f.method("GET")[0]!.url).toBe("http://other.test/s/st_1");
  });
});
