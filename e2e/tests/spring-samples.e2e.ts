// The Spring Boot samples (samples/spring-mvc on Tomcat, samples/spring-webflux on Reactor Netty), started as
// README says (`./samples/run <name>`), with the clients a web team points at them: the `openai` npm client
// through the mounted /v1/chat/completions, the AI SDK's DefaultChatTransport (what useChat uses) through the
// mounted /v1/ui/chat, and plain fetch against the sample's own controller (POST /chat, native SSE).
import OpenAI from "openai";
import { DefaultChatTransport, type UIMessage, type UIMessageChunk } from "ai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSample, type Sample } from "../support/gateway.js";
import { streamEcho } from "../support/openai-stream.js";

/** The `data:` payloads of an SSE body, in order. */
function dataLines(body: string): string[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice("data:".length).trimStart());
}

describe.each(["spring-mvc", "spring-webflux"])("samples/%s", (name) => {
  let sample: Sample;

  beforeAll(async () => {
    sample = await startSample(name);
  });

  afterAll(async () => {
    await sample?.stop();
  });

  test("the openai client streams through the mounted /v1/chat/completions", async () => {
    const client = new OpenAI({ baseURL: new URL("v1", sample.url).href, apiKey: "unused", maxRetries: 0 });
    const prompt = `Hello from the openai client to ${name}`;
    const { text, deltas, finish } = await streamEcho(client, prompt);
    expect(text).toBe(prompt);
    expect(deltas).toBeGreaterThan(1);
    expect(finish).toBe("stop");
  });

  test("the AI SDK's DefaultChatTransport reads the mounted /v1/ui/chat", async () => {
    const transport = new DefaultChatTransport<UIMessage>({
      api: new URL("v1/ui/chat", sample.url).href,
      body: { model: "simulated/echo" },
    });
    const prompt = `Hello from useChat's transport to ${name}`;
    const stream = await transport.sendMessages({
      trigger: "submit-message",
      chatId: `chat-${name}`,
      messageId: undefined,
      messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: prompt }] }],
      abortSignal: undefined,
    });
    const chunks: UIMessageChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const types = chunks.map((c) => c.type);
    expect(types[0]).toBe("start");
    expect(types).toContain("text-start");
    expect(types.at(-1)).toBe("finish");
    const text = chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");
    expect(text).toBe(prompt);
  });

  test("the sample's own POST /chat streams native SSE ending in [DONE]", async () => {
    const prompt = `Hello from fetch to ${name}`;
    const res = await fetch(new URL("chat", sample.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: prompt }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const data = dataLines(await res.text());
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { type: string; delta?: string });
    expect(chunks.at(-1)?.type).toBe("done");
    expect(
      chunks
        .filter((c) => c.type === "content")
        .map((c) => c.delta)
        .join(""),
    ).toBe(prompt);
  });

  test("a /chat without a message is a 400 naming it", async () => {
    const res = await fetch(new URL("chat", sample.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("'message' is required");
  });
});
