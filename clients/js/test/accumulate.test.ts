import { describe, expect, it } from "vitest";
import {
  accumulate,
  accumulateStream,
  Accumulator,
  AIStreamError,
  assistantMessage,
  parsePartialJson,
  type StreamChunk,
} from "../src/index.js";

const id = "st_1";
let seq = 0;
const c = (x: Record<string, unknown>): StreamChunk => ({ id, seq: seq++, ...x }) as StreamChunk;

function toolStream(): StreamChunk[] {
  seq = 0;
  return [
    c({ type: "reasoning", delta: "First, " }),
    c({ type: "reasoning", delta: "look it up." }),
    c({ type: "content", delta: "Checking " }),
    c({ type: "content", delta: "the weather." }),
    c({
      type: "tool_call",
      toolCall: { index: 0, id: "call_1", name: "get_weather", argumentsDelta: '{"city":' },
    }),
    c({ type: "tool_call", toolCall: { index: 1, id: "call_2", name: "get_time", argumentsDelta: "" } }),
    c({ type: "tool_call", toolCall: { index: 0, argumentsDelta: '"Par' } }),
    c({ type: "tool_call", toolCall: { index: 0, argumentsDelta: 'is","units":["c' } }),
    c({ type: "tool_call", toolCall: { index: 0, argumentsDelta: '"]}' } }),
    c({
      type: "done",
      finishReason: "tool_calls",
      usage: { inputTokens: 3, outputTokens: 9, totalTokens: 12 },
      provider: "openai",
      model: "gpt",
    }),
  ];
}

describe("accumulate", () => {
  it("puts text, reasoning, tool calls, usage and finish reason together", () => {
    const r = accumulate(toolStream());
    expect(r).toMatchObject({
      streamId: "st_1",
      text: "Checking the weather.",
      reasoning: "First, look it up.",
      finishReason: "tool_calls",
      usage: { inputTokens: 3, outputTokens: 9, totalTokens: 12 },
      provider: "openai",
      model: "gpt",
      done: true,
      lastSeq: 9,
      error: undefined,
      refusal: undefined,
    });
    expect(r.toolCalls).toEqual([
      {
        index: 0,
        id: "call_1",
        name: "get_weather",
        argumentsText: '{"city":"Paris","units":["c"]}',
        arguments: { city: "Paris", units: ["c"] },
        partialArguments: { city: "Paris", units: ["c"] },
        complete: true,
      },
      {
        index: 1,
        id: "call_2",
        name: "get_time",
        argumentsText: "",
        arguments: {},
        partialArguments: {},
        complete: true,
      },
    ]);
  });

  it("shows partial tool-call arguments while they stream", () => {
    const acc = new Accumulator();
    const chunks = toolStream();
    const partials: unknown[] = [];
    for (const ch of chunks.slice(0, 9)) {
      acc.push(ch);
      const call = acc.value.toolCalls[0];
      if (call && ch.type === "tool_call" && ch.toolCall.index === 0)
        partials.push([call.partialArguments, call.complete, call.arguments]);
    }
    expect(partials).toEqual([
      [{}, false, undefined],
      [{ city: "Par" }, false, undefined],
      [{ city: "Paris", units: ["c"] }, false, undefined],
      [{ city: "Paris", units: ["c"] }, true, { city: "Paris", units: ["c"] }], // the object closed: complete before done
    ]);
  });

  it("keeps its snapshot identity until a chunk changes something", () => {
    const acc = new Accumulator();
    const chunks = toolStream();
    acc.push(chunks[0]!);
    const v1 = acc.value;
    expect(acc.value).toBe(v1);
    expect(acc.push(chunks[0]!)).toBe(false); // a replayed seq
    expect(acc.value).toBe(v1);
    acc.push(chunks[1]!);
    expect(acc.value).not.toBe(v1);
  });

  it("the done chunk's content replaces dropped deltas; refusal, dropped and recovered are kept", () => {
    seq = 0;
    const r = accumulate([
      c({ type: "content", delta: "He" }),
      c({
        type: "done",
        finishReason: "content_filter",
        content: "Hello",
        refusal: "I can't",
        dropped: 3,
        recovered: true,
      }),
    ]);
    expect(r).toMatchObject({
      text: "Hello",
      refusal: "I can't",
      dropped: 3,
      recovered: true,
      finishReason: "content_filter",
    });
  });

  it("dropped deltas without content in the done leave the received text, marked incomplete by dropped", () => {
    seq = 0;
    const r = accumulate([
      c({ type: "content", delta: "He" }),
      c({ type: "content", delta: "lo" }),
      c({ type: "done", finishReason: "stop", dropped: 1 }),
    ]);
    expect(r).toMatchObject({ text: "Helo", dropped: 1, finishReason: "stop", done: true });
  });

  it("an error chunk becomes a typed error", () => {
    seq = 0;
    const r = accumulate([
      c({ type: "content", delta: "x" }),
      c({ type: "error", error: { code: "upstream_timeout", message: "idle", retryable: true } }),
      c({ type: "done", finishReason: "error" }),
    ]);
    expect(r.error).toBeInstanceOf(AIStreamError);
    expect(r.error).toMatchObject({ kind: "upstream", code: "upstream_timeout", retryable: true });
    expect(r.finishReason).toBe("error");
  });

  it("invalid complete arguments are reported, not thrown", () => {
    seq = 0;
    const r = accumulate([
      c({ type: "tool_call", toolCall: { index: 0, id: "t", name: "f", argumentsDelta: '{"a": tru' } }),
      c({ type: "done", finishReason: "tool_calls" }),
    ]);
    expect(r.toolCalls[0]).toMatchObject({
      complete: true,
      arguments: undefined,
      partialArguments: { a: true },
    });
    expect(r.toolCalls[0]!.argumentsError).toBeTypeOf("string");
  });

  it("accumulateStream reads an async iterable", async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- an async iterable that never waits is the case under test
    async function* gen() {
      yield* toolStream();
    }
    expect((await accumulateStream(gen())).text).toBe("Checking the weather.");
  });
});

describe("parsePartialJson", () => {
  const cases: [string, unknown][] = [
    ["", undefined],
    ["   ", undefined],
    ["{", {}],
    ['{"', {}],
    ['{"ci', {}],
    ['{"city"', {}],
    ['{"city":', {}],
    ['{"city": "Pa', { city: "Pa" }],
    ['{"city": "Paris"', { city: "Paris" }],
    ['{"city": "Paris",', { city: "Paris" }],
    ['{"a": [1, 2', { a: [1, 2] }],
    ['{"a": [1, 2.', { a: [1, 2] }],
    ['{"a": -', {}],
    ['{"a": 1e', { a: 1 }],
    ['{"a": t', { a: true }],
    ['{"a": fal', { a: false }],
    ['{"a": n', { a: null }],
    ['{"a": {"b": {"c": "d', { a: { b: { c: "d" } } }],
    ['{"s": "x\\', { s: "x" }],
    ['{"s": "x\\n', { s: "x\n" }],
    ['{"s": "\\u00', { s: "" }],
    ['{"s": "\\u00e9', { s: "é" }],
    ['["a", "b', ["a", "b"]],
    ['"just a str', "just a str"],
    ["42", 42],
    ['{"a": 1}', { a: 1 }],
    ['{"a": 1} x', undefined],
    ["{]", undefined],
    ["nope", undefined],
    ['{"a": 01', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      expect(parsePartialJson(text)).toEqual(expected);
    });
  }

  it("every prefix of a complex document parses, and the whole equals JSON.parse", () => {
    const doc = JSON.stringify({
      q: 'naïve "quoted" \\ 👋',
      n: [-1.5e3, 0, true, false, null],
      o: { deep: [{ x: "y" }] },
    });
    for (let i = 1; i <= doc.length; i++) {
      const v = parsePartialJson(doc.slice(0, i));
      expect(v === undefined || typeof v === "object", `prefix ${i}`).toBe(true);
    }
    expect(parsePartialJson(doc)).toEqual(JSON.parse(doc));
  });
});

describe("ordered parts with reasoning state", () => {
  const sig = { source: "anthropic", signature: "sig-1" };
  const red = { source: "anthropic", redacted: "red-1" };
  const gs = { source: "google", signature: "gs" };

  it("a state ends its reasoning block, redacted reasoning is a block of its own, calls keep their place", () => {
    seq = 0;
    const acc = accumulate([
      c({ type: "reasoning", delta: "Let me " }),
      c({ type: "reasoning", delta: "think." }),
      c({ type: "reasoning", delta: "", state: sig }),
      c({ type: "reasoning", delta: "", state: red }),
      c({ type: "content", delta: "" }),
      c({ type: "content", delta: "Checking." }),
      c({ type: "tool_call", toolCall: { index: 0, id: "c1", name: "f", argumentsDelta: '{"a":' } }),
      c({ type: "tool_call", toolCall: { index: 0, argumentsDelta: "1}" }, state: gs }),
      c({
        type: "done",
        finishReason: "tool_calls",
        usage: { inputTokens: 30, outputTokens: 9, totalTokens: 39, cacheReadTokens: 20, reasoningTokens: 4 },
        cost: 0.0012,
      }),
    ]);
    expect(acc.reasoning).toBe("Let me think.");
    expect(acc.parts).toEqual([
      { type: "reasoning", text: "Let me think.", state: sig },
      { type: "reasoning", text: "", state: red },
      { type: "text", text: "Checking." },
      { type: "tool_call", index: 0, state: gs },
    ]);
    expect(acc.usage?.cacheReadTokens).toBe(20);
    expect(assistantMessage(acc)).toEqual({
      role: "assistant",
      parts: [
        { type: "reasoning", text: "Let me think.", state: sig },
        { type: "reasoning", text: "", state: red },
        { type: "text", text: "Checking." },
        { type: "tool_call", id: "c1", name: "f", arguments: { a: 1 }, state: gs },
      ],
    });
  });

  it("state on content attaches to its run; a second state starts a new run", () => {
    seq = 0;
    const acc = accumulate([
      c({ type: "content", delta: "a" }),
      c({ type: "content", delta: "", state: gs }),
      c({ type: "content", delta: "b", state: { source: "google", signature: "gs2" } }),
      c({ type: "content", delta: "c" }),
      c({ type: "done", finishReason: "stop" }),
    ]);
    expect(acc.text).toBe("abc");
    expect(acc.parts).toEqual([
      { type: "text", text: "a", state: gs },
      { type: "text", text: "bc", state: { source: "google", signature: "gs2" } },
    ]);
  });
});
