// The AI SDK's OpenAI provider (`@ai-sdk/openai` with `ai`'s streamText), unchanged but for its base
// URL: its default model (`openai(id)`) speaks the Responses API, `openai.chat(id)` Chat Completions.
// Each scenario records a row of README's compatibility matrix (support/compat.ts).
import { createOpenAI, type OpenAIProvider } from "@ai-sdk/openai";
import { afterAll, beforeAll, describe } from "vitest";
import { aiSdkScenarios } from "../../support/ai-sdk-scenarios.js";
import { CompatClient } from "../../support/compat.js";
import { startGateway, type Gateway } from "../../support/gateway.js";

const responses = new CompatClient("ai-sdk-openai", "@ai-sdk/openai", "@ai-sdk/openai");
const chat = new CompatClient("ai-sdk-openai-chat", "@ai-sdk/openai (.chat)", "@ai-sdk/openai");

describe(`@ai-sdk/openai ${responses.version}`, () => {
  let gateway: Gateway;
  let openai: OpenAIProvider;

  beforeAll(async () => {
    gateway = await startGateway();
    // no keys configured on the gateway: any key is accepted
    openai = createOpenAI({ baseURL: new URL("v1", gateway.url).href, apiKey: "unused" });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  describe("openai(id): /v1/responses", () => {
    aiSdkScenarios(
      responses,
      "/v1/responses",
      (id) => openai(id),
      () => gateway,
    );
  });

  describe("openai.chat(id): /v1/chat/completions", () => {
    aiSdkScenarios(
      chat,
      "/v1/chat/completions",
      (id) => openai.chat(id),
      () => gateway,
    );
  });
});
