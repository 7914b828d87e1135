// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { StrictMode, useEffect } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AIStreamStore, type StreamChunk } from "../src/index.js";
import { useAIStream, type AIStreamStatus, type UseAIStreamOptions } from "../src/react/index.js";
import { contentStream, encoder, FakeFetch, sseBody, sseEvent } from "./helpers.js";

const URL = "http://gw.test/v1/stream";
const BODY = { provider: "simulated", model: "echo" };

/** A response body the test feeds by hand. */
function liveBody() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      ctl = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: (id = "st_1") =>
      new Response(stream, { headers: { "Content-Type": "text/event-stream", "X-Stream-Id": id } }),
    // a cancelled body takes no more data (the client hung up): like a server that notices late
    send: (text: string) => {
      if (!cancelled) ctl.enqueue(encoder.encode(text));
    },
    fail: () => ctl.error(new TypeError("network error")),
    cancelled: () => cancelled,
  };
}

let renders = 0;
const statuses: AIStreamStatus[] = [];

function Chat(props: { options: UseAIStreamOptions; auto?: boolean }) {
  const s = useAIStream(URL, { body: BODY, ...props.options });
  renders++;
  if (statuses[statuses.length - 1] !== s.status) statuses.push(s.status);
  const { start } = s;
  useEffect(() => {
    if (props.auto) start("hi");
  }, [props.auto, start]);
  return (
    <div>
      <span data-testid="status">{s.status}</span>
      <span data-testid="text">{s.text}</span>
      <span data-testid="reasoning">{s.reasoning}</span>
      <span data-testid="tools">{JSON.stringify(s.toolCalls.map((t) => [t.name, t.partialArguments]))}</span>
      <span data-testid="error">{s.error ? `${s.error.kind}:${s.error.code}` : ""}</span>
      <span data-testid="usage">{s.usage ? s.usage.totalTokens : ""}</span>
      <button onClick={() => s.start("hi")}>start</button>
      <button onClick={() => s.start({ messages: [{ role: "user", content: "again" }] })}>restart</button>
      <button onClick={() => s.abort()}>abort</button>
      <button onClick={() => s.resume()}>resume</button>
    </div>
  );
}

const text = () => screen.getByTestId("text").textContent;
const status = () => screen.getByTestId("status").textContent;

/** Lets the stream run: microtasks and one animation frame (fake timers). */
async function frame(ms = 16) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

beforeEach(() => {
  renders = 0;
  statuses.length = 0;
  vi.useFakeTimers({
    toFake: [
      "setTimeout",
      "clearTimeout",
      "requestAnimationFrame",
      "cancelAnimationFrame",
      "performance",
      "Date",
    ],
  });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("useAIStream", () => {
  it("goes idle → streaming → done and shows text, reasoning, tool calls and usage", async () => {
    const body = liveBody();
    const f = new FakeFetch().on("POST", () => body.response());
    render(<Chat options={{ fetch: f.fetch }} />);
    expect(status()).toBe("idle");
    fireEvent.click(screen.getByText("start"));
    expect(status()).toBe("streaming");
    await frame();
    expect(f.calls[0]!.body).toEqual({
      ...BODY,
      messages: [{ role: "user", content: "hi" }],
      resumable: true,
    });
    body.send(sseEvent({ id: "st_1", seq: 0, type: "reasoning", delta: "hmm" }));
    body.send(sseEvent({ id: "st_1", seq: 1, type: "content", delta: "Hel" }));
    body.send(
      sseEvent({
        id: "st_1",
        seq: 2,
        type: "tool_call",
        toolCall: { index: 0, id: "c1", name: "f", argumentsDelta: '{"q":"wea' },
      }),
    );
    await frame();
    expect(text()).toBe("Hel");
    expect(screen.getByTestId("reasoning").textContent).toBe("hmm");
    expect(screen.getByTestId("tools").textContent).toBe('[["f",{"q":"wea"}]]');
    body.send(sseEvent({ id: "st_1", seq: 3, type: "content", delta: "lo" }));
    body.send(
      sseBody([
        {
          id: "st_1",
          seq: 4,
          type: "done",
          finishReason: "stop",
          usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
        },
      ]),
    );
    await frame();
    expect(text()).toBe("Hello");
    expect(status()).toBe("done");
    expect(screen.getByTestId("usage").textContent).toBe("3");
    expect(statuses).toEqual(["idle", "streaming", "done"]);
  });

  it("an error chunk ends in status error with the typed error; text so far stays", async () => {
    const f = new FakeFetch().on(
      "POST",
      () =>
        new Response(
          sseBody([
            { id: "st_1", seq: 0, type: "content", delta: "part" },
            {
              id: "st_1",
              seq: 1,
              type: "error",
              error: { code: "upstream_overloaded", message: "busy", retryable: true },
            },
            { id: "st_1", seq: 2, type: "done", finishReason: "error" },
          ]),
          { headers: { "X-Stream-Id": "st_1" } },
        ),
    );
    const onError = vi.fn();
    render(<Chat options={{ fetch: f.fetch, onError }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    expect(status()).toBe("error");
    expect(screen.getByTestId("error").textContent).toBe("upstream:upstream_overloaded");
    expect(text()).toBe("part");
    expect(onError).toHaveBeenCalledTimes(1);
    expect(statuses).toEqual(["idle", "streaming", "error"]);
  });

  it("an HTTP error answer ends in status error", async () => {
    const f = new FakeFetch().on(
      "POST",
      () =>
        new Response(JSON.stringify({ error: { code: "unauthorized", message: "no key" } }), { status: 401 }),
    );
    render(<Chat options={{ fetch: f.fetch }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    expect(status()).toBe("error");
    expect(screen.getByTestId("error").textContent).toBe("http:unauthorized");
  });

  it("a network drop shows reconnecting, then streaming, then done with every token once", async () => {
    const first = liveBody();
    const resumed = liveBody();
    const f = new FakeFetch().on("POST", () => first.response()).on("GET", () => resumed.response());
    render(<Chat options={{ fetch: f.fetch }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    first.send(
      "retry: 500\n\n" +
        sseEvent({ id: "st_1", seq: 0, type: "content", delta: "a" }) +
        sseEvent({ id: "st_1", seq: 1, type: "content", delta: "b" }),
    );
    await frame();
    first.fail();
    await frame();
    expect(status()).toBe("reconnecting");
    expect(f.method("GET")).toHaveLength(0);
    await frame(500);
    expect(f.method("GET")[0]!.headers["last-event-id"]).toBe("1");
    expect(status()).toBe("streaming");
    resumed.send(
      sseEvent({ id: "st_1", seq: 1, type: "content", delta: "b" }) +
        sseBody([{ id: "st_1", seq: 2, type: "done", finishReason: "stop" }]),
    );
    await frame();
    expect(text()).toBe("ab");
    expect(statuses).toEqual(["idle", "streaming", "reconnecting", "streaming", "done"]);
  });

  it("abort() sets aborted, DELETEs the stream, cancels the body and leaves no unhandled rejection", async () => {
    const rejections: unknown[] = [];
    const onRejection = (r: unknown) => rejections.push(r);
    process.on("unhandledRejection", onRejection);
    try {
      const body = liveBody();
      const f = new FakeFetch().on("POST", () => body.response());
      render(<Chat options={{ fetch: f.fetch, headers: { Authorization: "Bearer t" } }} />);
      fireEvent.click(screen.getByText("start"));
      await frame();
      body.send(sseEvent({ id: "st_1", seq: 0, type: "content", delta: "x" }));
      await frame();
      fireEvent.click(screen.getByText("abort"));
      await frame();
      expect(status()).toBe("aborted");
      expect(text()).toBe("x");
      const del = f.method("DELETE");
      expect(del.map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_1"]);
      expect(del[0]!.headers["authorization"]).toBe("Bearer t");
      expect(body.cancelled()).toBe(true);
      body.send(sseEvent({ id: "st_1", seq: 1, type: "content", delta: "late" })); // nobody listens
      await frame();
      expect(text()).toBe("x");
    } finally {
      await new Promise((r) => setImmediate(r));
      process.off("unhandledRejection", onRejection);
    }
    expect(rejections).toEqual([]);
    expect(statuses).toEqual(["idle", "streaming", "aborted"]);
  });

  it("unmount aborts the running stream", async () => {
    const body = liveBody();
    const f = new FakeFetch().on("POST", () => body.response());
    const { unmount } = render(<Chat options={{ fetch: f.fetch }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    body.send(sseEvent({ id: "st_1", seq: 0, type: "content", delta: "x" }));
    await frame();
    unmount();
    await frame();
    expect(f.method("DELETE")).toHaveLength(1);
    expect(body.cancelled()).toBe(true);
  });

  it("a new start() aborts the previous stream", async () => {
    const one = liveBody();
    const two = liveBody();
    const f = new FakeFetch().on("POST", () => one.response("st_1")).on("POST", () => two.response("st_2"));
    render(<Chat options={{ fetch: f.fetch }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    one.send(sseEvent({ id: "st_1", seq: 0, type: "content", delta: "first" }));
    await frame();
    fireEvent.click(screen.getByText("restart"));
    await frame();
    expect(f.method("DELETE").map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_1"]);
    expect(f.method("POST")[1]!.body).toMatchObject({
      ...BODY,
      messages: [{ role: "user", content: "again" }],
    });
    expect(text()).toBe("");
    one.send(sseEvent({ id: "st_1", seq: 1, type: "content", delta: "STALE" }));
    two.send(
      sseBody([
        { id: "st_2", seq: 0, type: "content", delta: "second" },
        { id: "st_2", seq: 1, type: "done", finishReason: "stop" },
      ]),
    );
    await frame();
    expect(text()).toBe("second");
    expect(status()).toBe("done");
  });

  it("StrictMode: double effects open one stream, and unmount leaves none running", async () => {
    const bodies: ReturnType<typeof liveBody>[] = [];
    const f = new FakeFetch();
    f.fallback = (call) => {
      if (call.method !== "POST") return new Response("{}", { status: 200 });
      const b = liveBody();
      bodies.push(b);
      return b.response(`st_${bodies.length}`);
    };
    const { unmount } = render(
      <StrictMode>
        <Chat options={{ fetch: f.fetch }} auto />
      </StrictMode>,
    );
    await frame();
    expect(f.method("POST")).toHaveLength(1);
    expect(f.method("DELETE")).toHaveLength(0);
    bodies[0]!.send(sseEvent({ id: "st_1", seq: 0, type: "content", delta: "only one" }));
    await frame();
    expect(text()).toBe("only one");
    expect(status()).toBe("streaming");
    unmount();
    await frame();
    expect(f.method("DELETE").map((c) => c.url)).toEqual(["http://gw.test/v1/streams/st_1"]);
    expect(bodies[0]!.cancelled()).toBe(true);
    expect(f.method("POST")).toHaveLength(1);
  });

  it("resume() continues a stream that failed with a lost connection", async () => {
    const first = liveBody();
    const f = new FakeFetch()
      .on("POST", () => first.response())
      .on(
        "GET",
        () =>
          new Response(
            sseBody([
              { id: "st_1", seq: 1, type: "content", delta: "b" },
              { id: "st_1", seq: 2, type: "done", finishReason: "stop" },
            ]),
          ),
      );
    render(<Chat options={{ fetch: f.fetch, resume: false }} />);
    fireEvent.click(screen.getByText("start"));
    await frame();
    first.send(sseEvent({ id: "st_1", seq: 0, type: "content", delta: "a" }));
    await frame();
    first.fail();
    await frame();
    expect(status()).toBe("error");
    expect(screen.getByTestId("error").textContent).toBe("network:connection_lost");
    fireEvent.click(screen.getByText("resume"));
    await frame();
    expect(f.method("GET")[0]).toMatchObject({
      url: "http://gw.test/v1/streams/st_1",
      headers: { "last-event-id": "0" },
    });
    expect(text()).toBe("ab");
    expect(status()).toBe("done");
    expect(statuses).toEqual(["idle", "streaming", "error", "streaming", "done"]);
  });
});

describe("render batching", () => {
  const N = 1000;
  const tokens = contentStream(N, "st_1", () => "tok ");

  it(`a ${N}-token stream delivered as fast as possible renders a bounded number of times`, async () => {
    // one read per event: 1,000 separate network reads, all available at once
    const pieces = tokens.map((c) => encoder.encode(sseEvent(c)));
    pieces.push(encoder.encode("data: [DONE]\n\n"));
    const f = new FakeFetch().on("POST", () => {
      let i = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (i < pieces.length) c.enqueue(pieces[i++]!);
          else c.close();
        },
      });
      return new Response(stream, { headers: { "X-Stream-Id": "st_1" } });
    });
    render(<Chat options={{ fetch: f.fetch }} />);
    const before = renders;
    fireEvent.click(screen.getByText("start"));
    let frames = 0;
    while (status() !== "done" && frames < 1000) {
      await frame();
      frames++;
    }
    const streamRenders = renders - before;
    console.info(
      `[render-count] ${N} tokens as fast as possible: ${streamRenders} renders over ${frames} animation frame(s)`,
    );
    expect(text()).toBe("tok ".repeat(N));
    expect(streamRenders).toBeLessThanOrEqual(frames + 2); // start + one per frame + done
    expect(streamRenders).toBeLessThanOrEqual(5);
  });

  it(`a ${N}-token stream at one token per millisecond renders at most once per frame`, async () => {
    const f = new FakeFetch().on("POST", () => {
      let i = 0;
      let cancelled = false;
      const stream = new ReadableStream<Uint8Array>({
        cancel() {
          cancelled = true;
        },
        pull(c) {
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              if (cancelled) return resolve();
              if (i < tokens.length) c.enqueue(encoder.encode(sseEvent(tokens[i++]!)));
              else if (i++ === tokens.length) c.enqueue(encoder.encode("data: [DONE]\n\n"));
              else c.close();
              resolve();
            }, 1),
          );
        },
      });
      return new Response(stream, { headers: { "X-Stream-Id": "st_1" } });
    });
    render(<Chat options={{ fetch: f.fetch }} />);
    const before = renders;
    fireEvent.click(screen.getByText("start"));
    let frames = 0;
    while (status() !== "done" && frames < 1000) {
      await frame();
      frames++;
    }
    const streamRenders = renders - before;
    console.info(
      `[render-count] ${N} tokens at 1 per ms: ${streamRenders} renders over ${frames} animation frames`,
    );
    expect(text()).toBe("tok ".repeat(N));
    expect(frames).toBeGreaterThan(50);
    expect(streamRenders).toBeLessThanOrEqual(frames + 2);
  });

  it("without requestAnimationFrame updates fall back to a 16 ms timer", async () => {
    const raf = globalThis.requestAnimationFrame;
    // @ts-expect-error: simulate an environment without rAF
    delete globalThis.requestAnimationFrame;
    try {
      const chunks: StreamChunk[] = contentStream(100);
      const f = new FakeFetch().on(
        "POST",
        () => new Response(sseBody(chunks), { headers: { "X-Stream-Id": "st_1" } }),
      );
      const store = new AIStreamStore(URL, { fetch: f.fetch, body: BODY });
      let notes = 0;
      store.subscribe(() => notes++);
      store.start("hi");
      await vi.advanceTimersByTimeAsync(100);
      expect(store.getSnapshot().status).toBe("done");
      expect(store.getSnapshot().text).toBe(
        chunks
          .slice(0, -1)
          .map((c) => (c.type === "content" ? c.delta : ""))
          .join(""),
      );
      expect(notes).toBeLessThanOrEqual(4);
    } finally {
      globalThis.requestAnimationFrame = raf;
    }
  });
});
