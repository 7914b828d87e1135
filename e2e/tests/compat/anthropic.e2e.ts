// Anthropic's official TypeScript client (`@anthropic-ai/sdk`), unchanged but for its base URL,
// against the gateway's Messages endpoint: text, a tool use round trip, thinking, abort and unknown
// model. Each scenario records a row of README's compatibility matrix (support/compat.ts).
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { abortsTotal, CompatClient, LONG_PROMPT, WEATHER } from "../../support/compat.js";
import { startGateway, type Gateway } from "../../support/gateway.js";

const compat = new CompatClient("anthropic-ai-sdk", "@anthropic-ai/sdk", "@anthropic-ai/sdk");

const TOOL: Tool = { name: WEATHER.name, description: WEATHER.description, input_schema: WEATHER.parameters };

describe(`@anthropic-ai/sdk ${compat.version}`, () => {
  let gateway: Gateway;
  let client: Anthropic;

  beforeAll(async () => {
    gateway = await startGateway();
    // the client adds /v1/messages itself; no keys configured on the gateway: any key is accepted
    client = new Anthropic({ baseURL: gateway.url.replace(/\/$/, ""), apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  compat.test("/v1/messages", "text", async () => {
    const prompt = "Hello from the Anthropic client";
    const stream = await client.messages.create({
      model: "simulated/echo",
      max_tokens: 256,
      messages: [{ role: "user", content: prompt }],
      stream: true,
    });
    const events: string[] = [];
    let text = "";
    let deltas = 0;
    let stopReason: string | null | undefined;
    for await (const event of stream) {
      events.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
        text += event.delta.text;
        deltas++;
      }
      if (event.type === "message_delta") stopReason = event.delta.stop_reason;
    }
    expect(text).toBe(prompt);
    expect(deltas).toBeGreaterThan(1);
    expect(stopReason).toBe("end_turn");
    expect(events[0]).toBe("message_start");
    expect(events.at(-1)).toBe("message_stop");
    return `${deltas} text_delta events, stop_reason end_turn`;
  });

  compat.test("/v1/messages", "tools", async () => {
    const messages: MessageParam[] = [{ role: "user", content: "What is the weather in Paris?" }];
    // the client's stream helper assembles the tool_use block from its input_json_delta pieces
    const first = await client.messages
      .stream({ model: "simulated/tools", max_tokens: 256, messages, tools: [TOOL] })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((block) => block.type === "tool_use");
    if (!use) throw new Error("no tool_use block in the first answer");
    expect(use.name).toBe(WEATHER.name);
    expect(use.input).toHaveProperty("city");
    messages.push(
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: WEATHER.result }] },
    );
    const second = await client.messages
      .stream({ model: "simulated/tools", max_tokens: 256, messages, tools: [TOOL] })
      .finalMessage();
    const answer = second.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    expect(second.stop_reason).toBe("end_turn");
    expect(answer).toContain(WEATHER.result);
    return `tool_use ${use.name}(${JSON.stringify(use.input)}), answer quotes the tool_result`;
  });

  compat.test("/v1/messages", "thinking", async () => {
    const stream = await client.messages.create({
      model: "simulated/reasoning",
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Why is the sky blue?" }],
      stream: true,
    });
    const blocks: string[] = [];
    let thinking = "";
    let text = "";
    for await (const event of stream) {
      if (event.type === "content_block_start") blocks.push(event.content_block.type);
      if (event.type === "content_block_delta") {
        if (event.delta.type === "thinking_delta") thinking += event.delta.thinking;
        if (event.delta.type === "text_delta") text += event.delta.text;
      }
    }
    expect(thinking.length).toBeGreaterThan(0);
    expect(text.length).toBeGreaterThan(0);
    expect(blocks.indexOf("thinking")).toBeGreaterThanOrEqual(0);
    expect(blocks.indexOf("thinking")).toBeLessThan(blocks.indexOf("text"));
    return `content blocks ${blocks.join(", ")}: thinking_delta, then text_delta`;
  });

  compat.test("/v1/messages", "abort", async () => {
    const before = await abortsTotal(gateway);
    const stream = await client.messages.create({
      model: "simulated/echo",
      max_tokens: 4096,
      messages: [{ role: "user", content: LONG_PROMPT }],
      stream: true,
    });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === "content_block_delta") {
        deltas++;
        break; // leaving the loop aborts the request
      }
    }
    expect(deltas).toBe(1);
    await expect.poll(() => abortsTotal(gateway), { timeout: 10_000 }).toBeGreaterThan(before);
    return "leaving the stream's loop aborted it: aistream_aborts_total rose";
  });

  compat.test("/v1/messages", "unknown model", async () => {
    const error = await client.messages
      .create({
        model: "simulated/no-such-model",
        max_tokens: 256,
        messages: [{ role: "user", content: "Hello" }],
        stream: true,
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const message = (error as InstanceType<typeof Anthropic.NotFoundError>).message;
    expect(message).toContain("simulated/no-such-model");
    return message;
  });
});
