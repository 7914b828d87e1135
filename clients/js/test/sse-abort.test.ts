import { describe, expect, it } from "vitest";
import { streamChat, type StreamChunk } from "../src/index.js";
import {
  contentStream,
  encoder,
  FakeFetch,
  noUnhandledRejections,
  sseBody,
  sseEvent,
  sseResponse,
} from "./helpers.js";

const URL = "http://gw.test/v1/stream";
const REQUEST = {
  provider: "simulated",
  model: "echo",
  messages: [{ role: "user" as const, content: "hi" }],
};
const chunks = contentStream(5);

/** A POST answer that sends `n` chunks and then waits forever (a live stream). */
function liveAnswer(n: number, opts: { streamId?: string } = { streamId: "st_1" }) {
  let cancelled = () => false;
  const f = new FakeFetch().on("POST", (call) => {
    const r = sseResponse(
      { pieces: [encoder.encode(chunks.slice(0, n).map(sseEvent).join(""))], end: "hang" },
      { ...opts, ...(call.signal ? { signal: call.signal } : {}) },
    );
    cancelled = r.cancelled;
    return r.response;
  });
  return { f, cancelled: () => cancelled() };
}

describe("abort", () => {
  it("signal.abort() mid-stream ends the iteration quietly and DELETEs the stream", async () => {
    await noUnhandledRejections(async () => {
      const { f, cancelled } = liveAnswer(2);
      const ctrl = new AbortController();
      const seen: StreamChunk[] = [];
      const stream = streamChat(URL, REQUEST, {
        fetch: f.fetch,
        signal: ctrl.signal,
        headers: { Authorization: "Bearer k" },
      });
      const loop = (async () => {
        for await (const c of stream) seen.push(c);
      })();
      while (seen.length < 2) await new Promise((r) => setImmediate(r));
      ctrl.abort();
      await loop; // resolves, does not throw
      expect(seen.map((c) => c.seq)).toEqual([0, 1]);
      const del = f.method("DELETE");
      expect(del).toHaveLength(1);
      expect(del[0]!.url).toBe("http://gw.test/v1/streams/st_1");
      expect(del[0]!.headers["authorization"]).toBe("Bearer k");
      expect(cancelled()).toBe(true);
    });
  });

  it("abort() on the stream from inside the loop stops at once", async () => {
    await noUnhandledRejections(async () => {
      const { f } = liveAnswer(5);
      const stream = streamChat(URL, REQUEST, { fetch: f.fetch });
      const seen: number[] = [];
      for await (const c of stream) {
        seen.push(c.seq);
        if (c.seq === 1) stream.abort();
      }
      expect(seen).toEqual([0, 1]);
      expect(f.method("DELETE")).toHaveLength(1);
    });
  });

  it("break out of the loop aborts the stream on the server", async () => {
    await noUnhandledRejections(async () => {
      const { f, cancelled } = liveAnswer(3);
      for await (const c of streamChat(URL, REQUEST, { fetch: f.fetch })) {
        if (c.seq === 0) break;
      }
      expect(f.method("DELETE").map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_1"]);
      expect(cancelled()).toBe(true);
    });
  });

  it("abort while the POST is still waiting for its answer: DELETE once the id is known", async () => {
    await noUnhandledRejections(async () => {
      let answer: (r: Response) => void = () => {};
      const f = new FakeFetch().on("POST", () => new Promise<Response>((resolve) => (answer = resolve)));
      const ctrl = new AbortController();
      const loop = (async () => {
        for await (const _ of streamChat(URL, REQUEST, { fetch: f.fetch, signal: ctrl.signal })) {
          throw new Error("no chunk expected");
        }
      })();
      while (f.calls.length === 0) await new Promise((r) => setImmediate(r));
      ctrl.abort();
      await loop; // the consumer is free at once
      expect(f.method("DELETE")).toHaveLength(0);
      const r = sseResponse(
        { pieces: [encoder.encode(sseEvent(chunks[0]!))], end: "hang" },
        { streamId: "st_9" },
      );
      const bodyCancelled = r.cancelled;
      answer(r.response);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(f.method("DELETE").map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_9"]);
      expect(bodyCancelled()).toBe(true);
    });
  });

  it("an already aborted signal sends nothing", async () => {
    const { f } = liveAnswer(1);
    const ctrl = new AbortController();
    ctrl.abort();
    const seen: unknown[] = [];
    for await (const c of streamChat(URL, REQUEST, { fetch: f.fetch, signal: ctrl.signal })) seen.push(c);
    expect(seen).toEqual([]);
    expect(f.calls).toHaveLength(0);
  });

  it("abort after the stream finished sends no DELETE", async () => {
    const f = new FakeFetch().on(
      "POST",
      () => sseResponse({ pieces: [encoder.encode(sseBody(chunks))] }, { streamId: "st_1" }).response,
    );
    const ctrl = new AbortController();
    const stream = streamChat(URL, REQUEST, { fetch: f.fetch, signal: ctrl.signal });
    for await (const _ of stream) {
      // read all
    }
    ctrl.abort();
    stream.abort();
    expect(f.method("DELETE")).toHaveLength(0);
  });

  it("a failing DELETE is not an unhandled rejection", async () => {
    await noUnhandledRejections(async () => {
      const { f } = liveAnswer(2);
      f.on("DELETE", () => Promise.reject(new TypeError("offline")));
      const stream = streamChat(URL, REQUEST, { fetch: f.fetch });
      for await (const c of stream) if (c.seq === 1) stream.abort();
      expect(f.method("DELETE")).toHaveLength(1);
    });
  });
});
