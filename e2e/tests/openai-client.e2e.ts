// PENDING until the gateway serves POST /v1/chat/completions (the OpenAI-compatible endpoint).
// Enable it by renaming this file to openai-client.e2e.ts (the runner picks up tests/**/*.e2e.ts).
//
// The official `openai` npm client (5.x) in Node, unchanged but for its base URL, streaming from
// a real `aistream serve` with `model: "provider/model"`.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCounter, startGateway, type Gateway } from "../support/gateway.js";

describe("the openai npm client against /v1/chat/completions", () => {
  let gateway: Gateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    // no keys configured on the gateway: any key is accepted
    client = new OpenAI({ baseURL: new URL("v1", gateway.url).href, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("streams text deltas and a finish reason", async () => {
    const prompt = "Hello from the openai client";
    const stream = await client.chat.completions.create({
      model: "simulated/echo",
      stream: true,
      messages: [{ role: "user", content: prompt }],
    });
    let text = "";
    let finish: string | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(prompt);
    expect(finish).toBe("stop");
    expect(chunks).toBeGreaterThan(1);
  });

  it("assembles a streamed tool call with the client's stream helper", async () => {
    const runner = client.chat.completions.stream({
      model: "simulated/tools",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "The current weather in a city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
    });
    const completion = await runner.finalChatCompletion();
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("no function tool call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
  });

  it("aborting the client's stream cancels the stream on the server", async () => {
    const before = await readCounter(gateway, "aistream_aborts_total");
    const stream = await client.chat.completions.create({
      model: "simulated/lorem",
      stream: true,
      messages: [{ role: "user", content: "A long answer, please." }],
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) break; // leaving the loop aborts the request
    }
    await expect
      .poll(() => readCounter(gateway, "aistream_aborts_total"), { timeout: 10_000 })
      .toBeGreaterThan(before);
  });
});
