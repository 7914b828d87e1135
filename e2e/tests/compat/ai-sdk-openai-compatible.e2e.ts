// The AI SDK's generic OpenAI-compatible provider (`@ai-sdk/openai-compatible` with `ai`'s
// streamText) pointed at the gateway: Chat Completions. Each scenario records a row of README's
// compatibility matrix (support/compat.ts).
import { createOpenAICompatible, type OpenAICompatibleProvider } from "@ai-sdk/openai-compatible";
import { afterAll, beforeAll, describe } from "vitest";
import { aiSdkScenarios } from "../../support/ai-sdk-scenarios.js";
import { CompatClient } from "../../support/compat.js";
import { startGateway, type Gateway } from "../../support/gateway.js";

const compat = new CompatClient(
  "ai-sdk-openai-compatible",
  "@ai-sdk/openai-compatible",
  "@ai-sdk/openai-compatible",
);

describe(`@ai-sdk/openai-compatible ${compat.version}`, () => {
  let gateway: Gateway;
  let aistream: OpenAICompatibleProvider;

  beforeAll(async () => {
    gateway = await startGateway();
    // no keys configured on the gateway: any key is accepted
    aistream = createOpenAICompatible({
      name: "aistream",
      baseURL: new URL("v1", gateway.url).href,
      apiKey: "unused",
      includeUsage: true,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  aiSdkScenarios(
    compat,
    "/v1/chat/completions",
    (id) => aistream(id),
    () => gateway,
  );
});
