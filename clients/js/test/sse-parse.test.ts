import { describe, expect, it } from "vitest";
import { accumulate, AIStreamError, streamChat, type StreamChunk } from "../src/index.js";
import { cut, drain, encoder, FakeFetch, fixture, sseBody, sseEvent, sseResponse } from "./helpers.js";

const URL = "http://gw.test/v1/stream";
const REQUEST = {
  provider: "simulated",
  model: "echo",
  messages: [{ role: "user" as const, content: "hi" }],
};

const LF = fixture("native.sse");
const EXPECTED: StreamChunk[] = LF.split("\n")
  .filter((l) => l.startsWith("data: {"))
  .map((l) => JSON.parse(l.slice("data: ".length)) as StreamChunk);

/** Streams `pieces` as one response and returns the chunks the consumer saw. */
async function run(pieces: Uint8Array[]): Promise<StreamChunk[]> {
  const f = new FakeFetch().on("POST", () => sseResponse({ pieces }, { streamId: "st_1" }).response);
  return drain(streamChat(URL, REQUEST, { fetch: f.fetch }));
}

describe("SSE parsing over every read split", () => {
  const variants: [string, string][] = [
    ["LF", LF],
    ["CRLF", LF.replace(/\n/g, "\r\n")],
    ["CR", LF.replace(/\n/g, "\r")],
  ];

  it("the fixture holds multi-byte UTF-8 (2- and 4-byte characters)", () => {
    expect(accumulate(EXPECTED).text).toBe("Hello, wörld 👋");
    expect(encoder.encode(LF).length).toBeGreaterThan(LF.length);
  });

  for (const [name, text] of variants) {
    const bytes = encoder.encode(text);

    it(`${name}: a body cut in two at every byte offset gives the same chunks`, async () => {
      for (let offset = 1; offset < bytes.length; offset++) {
        const got = await run(cut(bytes, [offset]));
        expect(got, `cut at byte ${offset}`).toEqual(EXPECTED);
      }
    });

    it(`${name}: a body delivered one byte per read gives the same chunks`, async () => {
      const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.slice(i, i + 1));
      expect(await run(pieces)).toEqual(EXPECTED);
    });

    it(`${name}: bodies cut at many random offsets give the same chunks (seeded)`, async () => {
      let seed = 0x5eed;
      const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      for (let run_ = 0; run_ < 200; run_++) {
        const offsets = Array.from(
          { length: 1 + Math.floor(rand() * 12) },
          () => 1 + Math.floor(rand() * (bytes.length - 1)),
        );
        expect(await run(cut(bytes, offsets)), `seed run ${run_}, cuts ${offsets.join(",")}`).toEqual(
          EXPECTED,
        );
      }
    });
  }

  it("every cut inside each multi-byte character keeps the character", async () => {
    const bytes = encoder.encode(LF);
    const starts: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0xc0) starts.push(i);
    expect(starts.length).toBe(2); // ö and 👋
    for (const s of starts) {
      for (let k = 1; k < 4 && bytes[s + k]! >= 0x80 && bytes[s + k]! < 0xc0; k++) {
        const got = await run(cut(bytes, [s + k]));
        expect(accumulate(got).text).toBe("Hello, wörld 👋");
      }
    }
  });
});

describe("[DONE]", () => {
  it("ends the iteration once; anything after it is never read", async () => {
    const chunks: StreamChunk[] = [
      { id: "st_1", seq: 0, type: "content", delta: "a" },
      { id: "st_1", seq: 1, type: "done", finishReason: "stop" },
    ];
    const after = sseEvent({ id: "st_1", seq: 2, type: "content", delta: "LATE" });
    const { response, cancelled } = sseResponse(
      { pieces: [encoder.encode(sseBody(chunks) + after), encoder.encode(after)], end: "hang" },
      { streamId: "st_1" },
    );
    const f = new FakeFetch().on("POST", () => response);
    let loops = 0;
    for await (const c of streamChat(URL, REQUEST, { fetch: f.fetch })) {
      loops++;
      expect(c.type).not.toBe("unknown");
    }
    expect(loops).toBe(2);
    expect(cancelled()).toBe(true); // the (hanging) body was released, not read on
    expect(f.method("DELETE")).toHaveLength(0); // a finished stream needs no abort
  });

  it("a done chunk followed by a clean close without [DONE] ends normally", async () => {
    const chunks = [
      { id: "st_1", seq: 0, type: "content", delta: "a" },
      { id: "st_1", seq: 1, type: "done", finishReason: "stop" },
    ] as StreamChunk[];
    const f = new FakeFetch().on(
      "POST",
      () => sseResponse({ pieces: [encoder.encode(sseBody(chunks, { done: false }))] }).response,
    );
    expect(await drain(streamChat(URL, REQUEST, { fetch: f.fetch }))).toEqual(chunks);
    expect(f.calls).toHaveLength(1);
  });

  it("comments, retry and named events are not chunks", async () => {
    const text = "retry: 2500\n\n: keepalive\n\nevent: ping\ndata: {}\n\n" + sseBody(contentChunks());
    const f = new FakeFetch().on("POST", () => sseResponse({ pieces: [encoder.encode(text)] }).response);
    expect((await drain(streamChat(URL, REQUEST, { fetch: f.fetch }))).map((c) => c.seq)).toEqual([0, 1]);
  });
});

function contentChunks(): StreamChunk[] {
  return [
    { id: "st_1", seq: 0, type: "content", delta: "a" },
    { id: "st_1", seq: 1, type: "done", finishReason: "stop" },
  ];
}

describe("the request", () => {
  it("POSTs JSON with resumable: true, Accept and the caller's headers", async () => {
    const f = new FakeFetch().on(
      "POST",
      () => sseResponse({ pieces: [encoder.encode(sseBody(contentChunks()))] }).response,
    );
    await drain(streamChat(URL, REQUEST, { fetch: f.fetch, headers: { Authorization: "Bearer k1" } }));
    const post = f.calls[0]!;
    expect(post.url).toBe(URL);
    expect(post.body).toEqual({ ...REQUEST, resumable: true });
    expect(post.headers["authorization"]).toBe("Bearer k1");
    expect(post.headers["accept"]).toBe("text/event-stream");
    expect(post.headers["content-type"]).toBe("application/json");
  });

  it("resume: false (or resumable: false) sends the request unchanged", async () => {
    const f = new FakeFetch()
      .on("POST", () => sseResponse({ pieces: [encoder.encode(sseBody(contentChunks()))] }).response)
      .on("POST", () => sseResponse({ pieces: [encoder.encode(sseBody(contentChunks()))] }).response);
    await drain(streamChat(URL, REQUEST, { fetch: f.fetch, resume: false }));
    await drain(streamChat(URL, { ...REQUEST, resumable: false }, { fetch: f.fetch }));
    expect(f.calls[0]!.body).toEqual(REQUEST);
    expect(f.calls[1]!.body).toEqual({ ...REQUEST, resumable: false });
  });

  it("an AIStream can be iterated only once", async () => {
    const f = new FakeFetch().on(
      "POST",
      () => sseResponse({ pieces: [encoder.encode(sseBody(contentChunks()))] }).response,
    );
    const s = streamChat(URL, REQUEST, { fetch: f.fetch });
    await drain(s);
    expect(() => s[Symbol.asyncIterator]()).toThrow(TypeError);
    expect(s.streamId).toBe("st_1");
    expect(s.lastSeq).toBe(1);
  });
});

describe("errors", () => {
  const withError: StreamChunk[] = [
    { id: "st_1", seq: 0, type: "content", delta: "partial" },
    {
      id: "st_1",
      seq: 1,
      type: "error",
      error: {
        code: "upstream_overloaded",
        message: "try later",
        retryable: true,
        provider: "anthropic",
        status: 529,
      },
    },
    { id: "st_1", seq: 2, type: "done", finishReason: "error" },
  ];
  const respond = () =>
    sseResponse({ pieces: [encoder.encode(sseBody(withError))] }, { streamId: "st_1" }).response;

  it("default: the error chunk and the done are yielded, then a typed AIStreamError is thrown", async () => {
    const f = new FakeFetch().on("POST", respond);
    const seen: StreamChunk[] = [];
    const errors: AIStreamError[] = [];
    let thrown: unknown;
    try {
      for await (const c of streamChat(URL, REQUEST, { fetch: f.fetch, onError: (e) => errors.push(e) }))
        seen.push(c);
    } catch (e) {
      thrown = e;
    }
    expect(seen.map((c) => c.type)).toEqual(["content", "error", "done"]);
    expect(thrown).toBeInstanceOf(AIStreamError);
    const err = thrown as AIStreamError;
    expect([err.kind, err.code, err.retryable, err.status, err.provider, err.streamId]).toEqual([
      "upstream",
      "upstream_overloaded",
      true,
      529,
      "anthropic",
      "st_1",
    ]);
    expect(err.chunk).toEqual(withError[1]);
    expect(errors).toHaveLength(1);
    expect(f.method("DELETE")).toHaveLength(0);
  });

  it('errors: "yield" ends normally; onError still hears of it', async () => {
    const f = new FakeFetch().on("POST", respond);
    const errors: AIStreamError[] = [];
    const seen = await drain(
      streamChat(URL, REQUEST, { fetch: f.fetch, errors: "yield", onError: (e) => errors.push(e) }),
    );
    expect(seen).toEqual(withError);
    expect(errors.map((e) => e.code)).toEqual(["upstream_overloaded"]);
  });

  it("a 400 answer is an http AIStreamError naming the field", async () => {
    const f = new FakeFetch().on(
      "POST",
      () =>
        new Response(
          JSON.stringify({ error: { code: "invalid_request", message: "is required", field: "provider" } }),
          {
            status: 400,
            headers: { "Content-Type": "application/json" },
          },
        ),
    );
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AIStreamError);
    expect(err).toMatchObject({
      kind: "http",
      status: 400,
      code: "invalid_request",
      field: "provider",
      retryable: false,
    });
  });

  it("a 429 without a JSON body keeps the status and is retryable", async () => {
    const f = new FakeFetch().on("POST", () => new Response("slow down", { status: 429 }));
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "http", status: 429, code: "http_429", retryable: true });
  });

  it("an unreachable gateway is a network AIStreamError", async () => {
    const f = new FakeFetch().on("POST", () => Promise.reject(new TypeError("fetch failed")));
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "network", code: "connection_failed" });
  });

  it("a malformed chunk is a protocol error, and the stream is cancelled on the server", async () => {
    const f = new FakeFetch().on(
      "POST",
      () =>
        sseResponse(
          { pieces: [encoder.encode('id: 0\ndata: {"id":"st_1","seq":0,"type":"content"\n\n')], end: "hang" },
          { streamId: "st_1" },
        ).response,
    );
    const err = await drain(streamChat(URL, REQUEST, { fetch: f.fetch })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "protocol", code: "malformed_chunk", streamId: "st_1" });
    expect(f.method("DELETE").map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_1"]);
  });

  it("a chunk missing a required field is a protocol error", async () => {
    const f = new FakeFetch().on(
      "POST",
      () =>
        sseResponse({ pieces: [encoder.encode('data: {"id":"st_1","seq":0,"type":"content"}\n\n')] })
          .response,
    );
    await expect(drain(streamChat(URL, REQUEST, { fetch: f.fetch }))).rejects.toMatchObject({
      kind: "protocol",
    });
  });

  it("an event larger than maxEventSize is a protocol error, not unbounded memory", async () => {
    const f = new FakeFetch().on(
      "POST",
      () => sseResponse({ pieces: [encoder.encode("data: " + "x".repeat(5000))], end: "hang" }).response,
    );
    await expect(
      drain(streamChat(URL, REQUEST, { fetch: f.fetch, maxEventSize: 1024 })),
    ).rejects.toMatchObject({
      kind: "protocol",
      code: "event_too_large",
    });
  });

  it("a chunk type from a newer server passes through as an unknown chunk", async () => {
    const text = sseBody([
      { id: "st_1", seq: 0, type: "citation", url: "https://example.org" } as unknown as StreamChunk,
      { id: "st_1", seq: 1, type: "done", finishReason: "stop" },
    ]);
    const f = new FakeFetch().on("POST", () => sseResponse({ pieces: [encoder.encode(text)] }).response);
    const got = await drain(streamChat(URL, REQUEST, { fetch: f.fetch }));
    expect(got[0]).toMatchObject({
      type: "unknown",
      wireType: "citation",
      seq: 0,
      raw: { url: "https://example.org" },
    });
  });
});
