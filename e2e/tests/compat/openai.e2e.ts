// The official `openai` npm client, unchanged but for its base URL, against a real `aistream serve`:
// Chat Completions and Responses (text, a tool round trip, abort, unknown model) and the model list.
// Each scenario records a row of README's compatibility matrix (support/compat.ts).
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type {
  FunctionTool,
  ResponseFunctionToolCall,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { abortsTotal, CompatClient, LONG_PROMPT, WEATHER } from "../../support/compat.js";
import { startGateway, type Gateway } from "../../support/gateway.js";
import { streamEcho } from "../../support/openai-stream.js";

const compat = new CompatClient("openai", "openai", "openai");

const CHAT_TOOL: ChatCompletionTool = {
  type: "function",
  function: { name: WEATHER.name, description: WEATHER.description, parameters: WEATHER.parameters },
};

const RESPONSES_TOOL: FunctionTool = {
  type: "function",
  name: WEATHER.name,
  description: WEATHER.description,
  parameters: WEATHER.parameters,
  strict: false,
};

describe(`openai ${compat.version}`, () => {
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

  /** Runs `request`, expecting the SDK's NotFoundError naming the model. */
  async function expectNotFound(request: () => Promise<unknown>): Promise<string> {
    const error = await request().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const message = (error as InstanceType<typeof OpenAI.NotFoundError>).message;
    expect(message).toContain("simulated/no-such-model");
    return message;
  }

  describe("/v1/chat/completions", () => {
    compat.test("/v1/chat/completions", "text", async () => {
      const prompt = "Hello from the openai client";
      const { text, deltas, finish } = await streamEcho(client, prompt);
      expect(text).toBe(prompt);
      expect(deltas).toBeGreaterThan(1);
      expect(finish).toBe("stop");
      return `${deltas} content deltas, finish_reason stop`;
    });

    compat.test("/v1/chat/completions", "tools", async () => {
      const messages: ChatCompletionMessageParam[] = [
        { role: "user", content: "What is the weather in Paris?" },
      ];
      // the client's stream helper assembles the call; its message goes back as the SDK returns it
      const first = await client.chat.completions
        .stream({ model: "simulated/tools", messages, tools: [CHAT_TOOL] })
        .finalChatCompletion();
      const choice = first.choices[0]!;
      expect(choice.finish_reason).toBe("tool_calls");
      const call = choice.message.tool_calls?.[0];
      if (call?.type !== "function") throw new Error("no function tool call in the first answer");
      expect(call.function.name).toBe(WEATHER.name);
      expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
      messages.push(choice.message, { role: "tool", tool_call_id: call.id, content: WEATHER.result });
      const stream = await client.chat.completions.create({
        model: "simulated/tools",
        stream: true,
        messages,
        tools: [CHAT_TOOL],
      });
      let answer = "";
      for await (const chunk of stream) answer += chunk.choices[0]?.delta?.content ?? "";
      expect(answer).toContain(WEATHER.result);
      return `called ${call.function.name}(${call.function.arguments}), answer quotes the result`;
    });

    compat.test("/v1/chat/completions", "abort", async () => {
      const before = await abortsTotal(gateway);
      const stream = await client.chat.completions.create({
        model: "simulated/echo",
        stream: true,
        messages: [{ role: "user", content: LONG_PROMPT }],
      });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) break; // leaving the loop aborts the request
      }
      await expect.poll(() => abortsTotal(gateway), { timeout: 10_000 }).toBeGreaterThan(before);
      return "leaving the stream's loop aborted it: aistream_aborts_total rose";
    });

    compat.test("/v1/chat/completions", "unknown model", () =>
      expectNotFound(() =>
        client.chat.completions.create({
          model: "simulated/no-such-model",
          stream: true,
          messages: [{ role: "user", content: "Hello" }],
        }),
      ),
    );
  });

  describe("/v1/responses", () => {
    compat.test("/v1/responses", "text", async () => {
      const prompt = "Hello from the Responses API";
      const stream = await client.responses.create({ model: "simulated/echo", input: prompt, stream: true });
      let text = "";
      let deltas = 0;
      let status: string | undefined;
      let lastSequence = -1;
      for await (const event of stream) {
        expect(event.sequence_number).toBeGreaterThan(lastSequence);
        lastSequence = event.sequence_number;
        if (event.type === "response.output_text.delta") {
          text += event.delta;
          deltas++;
        }
        if (event.type === "response.completed") status = event.response.status;
      }
      expect(text).toBe(prompt);
      expect(deltas).toBeGreaterThan(1);
      expect(status).toBe("completed");
      return `${deltas} output_text deltas, response.completed`;
    });

    compat.test("/v1/responses", "tools", async () => {
      const input: ResponseInputItem[] = [{ role: "user", content: "What is the weather in Paris?" }];
      const stream = await client.responses.create({
        model: "simulated/tools",
        input,
        tools: [RESPONSES_TOOL],
        stream: true,
      });
      let call: ResponseFunctionToolCall | undefined;
      for await (const event of stream) {
        if (event.type === "response.completed") {
          call = event.response.output.find((item) => item.type === "function_call");
        }
      }
      if (!call) throw new Error("no function_call item in response.completed");
      expect(call.name).toBe(WEATHER.name);
      expect(JSON.parse(call.arguments)).toHaveProperty("city");
      input.push(call, { type: "function_call_output", call_id: call.call_id, output: WEATHER.result });
      const second = await client.responses.create({
        model: "simulated/tools",
        input,
        tools: [RESPONSES_TOOL],
        stream: true,
      });
      let answer = "";
      for await (const event of second) {
        if (event.type === "response.output_text.delta") answer += event.delta;
      }
      expect(answer).toContain(WEATHER.result);
      return `called ${call.name}(${call.arguments}), answer quotes the result`;
    });

    compat.test("/v1/responses", "abort", async () => {
      const before = await abortsTotal(gateway);
      const stream = await client.responses.create({
        model: "simulated/echo",
        input: LONG_PROMPT,
        stream: true,
      });
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") break; // leaving the loop aborts the request
      }
      await expect.poll(() => abortsTotal(gateway), { timeout: 10_000 }).toBeGreaterThan(before);
      return "leaving the stream's loop aborted it: aistream_aborts_total rose";
    });

    compat.test("/v1/responses", "unknown model", () =>
      expectNotFound(() =>
        client.responses.create({ model: "simulated/no-such-model", input: "Hello", stream: true }),
      ),
    );
  });

  describe("/v1/models", () => {
    compat.test("/v1/models", "list", async () => {
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      expect(ids).toContain("simulated/echo");
      return `${ids.length} models, simulated/echo among them`;
    });

    compat.test("/v1/models", "retrieve", async () => {
      // the client encodes the '/' of the id as %2F
      const model = await client.models.retrieve("simulated/echo");
      expect(model.id).toBe("simulated/echo");
      expect(model.object).toBe("model");
      return "models.retrieve('simulated/echo') (sent as simulated%2Fecho)";
    });
  });
});
