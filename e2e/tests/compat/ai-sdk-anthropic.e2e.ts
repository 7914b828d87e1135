// The AI SDK's Anthropic provider (`@ai-sdk/anthropic` with `ai`'s streamText), unchanged but for
// its base URL, against the gateway's Messages endpoint: text, a tool round trip, thinking, abort and
// unknown model. Each scenario records a row of README's compatibility matrix (support/compat.ts).
import { createAnthropic, type AnthropicProvider, type AnthropicProviderOptions } from "@ai-sdk/anthropic";
import { streamText } from "ai";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { aiSdkScenarios, errorSink } from "../../support/ai-sdk-scenarios.js";
import { CompatClient } from "../../support/compat.js";
import { startGateway, type Gateway } from "../../support/gateway.js";

const compat = new CompatClient("ai-sdk-anthropic", "@ai-sdk/anthropic", "@ai-sdk/anthropic");

describe(`@ai-sdk/anthropic ${compat.version}`, () => {
  let gateway: Gateway;
  let anthropic: AnthropicProvider;

  beforeAll(async () => {
    gateway = await startGateway();
    // the provider posts to <baseURL>/messages; no keys configured on the gateway: any key is accepted
    anthropic = createAnthropic({ baseURL: new URL("v1", gateway.url).href, apiKey: "unused" });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  aiSdkScenarios(
    compat,
    "/v1/messages",
    (id) => anthropic(id),
    () => gateway,
  );

  compat.test("/v1/messages", "thinking", async () => {
    const errors = errorSink();
    const result = streamText({
      model: anthropic("simulated/reasoning"),
      prompt: "Why is the sky blue?",
      maxOutputTokens: 2048,
      providerOptions: {
        anthropic: { thinking: { type: "enabled", budgetTokens: 1024 } } satisfies AnthropicProviderOptions,
      },
      maxRetries: 0,
      onError: errors.onError,
    });
    const order: string[] = [];
    let reasoning = "";
    let text = "";
    for await (const part of result.fullStream) {
      if (part.type === "reasoning-delta") reasoning += part.text;
      if (part.type === "text-delta") text += part.text;
      if ((part.type === "reasoning-start" || part.type === "text-start") && !order.includes(part.type)) {
        order.push(part.type);
      }
    }
    errors.rethrow();
    expect(reasoning.length).toBeGreaterThan(0);
    expect(text.length).toBeGreaterThan(0);
    expect(order).toEqual(["reasoning-start", "text-start"]);
    return "reasoning deltas, then text deltas";
  });
});
