// Reasoning state through the AI SDK UI stream and back, with the real `ai` package: a scripted
// Anthropic upstream (extended thinking: a signed thinking block, a redacted one, text, a tool call)
// behind `aistream serve`; `ai`'s DefaultChatTransport + readUIMessageStream build the UI message
// useChat would hold, which must equal the one `@ai-sdk/anthropic` builds from the same upstream;
// sent back with the tool's result, the gateway's next upstream request carries the signed and
// redacted thinking blocks, in order, before the tool_use.
import { createAnthropic } from "@ai-sdk/anthropic";
import {
  DefaultChatTransport,
  jsonSchema,
  readUIMessageStream,
  streamText,
  tool,
  type UIMessage,
  type JSONSchema7,
  type UIMessageChunk,
} from "ai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../support/gateway.js";

const SIGNATURE = "EqQBCkgIARABGAIiQL6mVbX0Ur+recorded+shape+signature==";
const REDACTED = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP";
const MODEL = "claude-sonnet-4-5";

/** One Anthropic SSE event. */
const event = (data: Record<string, unknown>): string =>
  `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** Extended thinking with a tool: thinking + signature, redacted thinking, text, tool_use. */
const FIRST_TURN = [
  event({
    type: "message_start",
    message: {
      id: "msg_01",
      type: "message",
      role: "assistant",
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 412, output_tokens: 1 },
    },
  }),
  event({
    type: "content_block_start",
    index: 0,
    content_block: { type: "thinking", thinking: "", signature: "" },
  }),
  event({
    type: "content_block_delta",
    index: 0,
    delta: { type: "thinking_delta", thinking: "The user wants the weather in Paris. " },
  }),
  event({
    type: "content_block_delta",
    index: 0,
    delta: { type: "thinking_delta", thinking: "I should call the tool." },
  }),
  event({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: SIGNATURE } }),
  event({ type: "content_block_stop", index: 0 }),
  event({
    type: "content_block_start",
    index: 1,
    content_block: { type: "redacted_thinking", data: REDACTED },
  }),
  event({ type: "content_block_stop", index: 1 }),
  event({ type: "content_block_start", index: 2, content_block: { type: "text", text: "" } }),
  event({ type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Let me check." } }),
  event({ type: "content_block_stop", index: 2 }),
  event({
    type: "content_block_start",
    index: 3,
    content_block: { type: "tool_use", id: "toolu_01", name: "get_weather", input: {} },
  }),
  event({
    type: "content_block_delta",
    index: 3,
    delta: { type: "input_json_delta", partial_json: '{"city":' },
  }),
  event({
    type: "content_block_delta",
    index: 3,
    delta: { type: "input_json_delta", partial_json: '"Paris"}' },
  }),
  event({ type: "content_block_stop", index: 3 }),
  event({
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 96 },
  }),
  event({ type: "message_stop" }),
].join("");

const SECOND_TURN = [
  event({
    type: "message_start",
    message: {
      id: "msg_02",
      type: "message",
      role: "assistant",
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 530, output_tokens: 1 },
    },
  }),
  event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  event({
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: "It is 21 °C in Paris." },
  }),
  event({ type: "content_block_stop", index: 0 }),
  event({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: 9 },
  }),
  event({ type: "message_stop" }),
].join("");

interface AnthropicBody {
  messages: { role: string; content: string | { type: string; [k: string]: unknown }[] }[];
}

/** A scripted Anthropic Messages API: the tool turn first, the answer once a tool result comes back. */
class FakeAnthropic {
  readonly bodies: AnthropicBody[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.method !== "POST" || req.url !== "/v1/messages") {
          res.writeHead(404, { "content-type": "application/json" }).end('{"type":"error"}');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as AnthropicBody;
        this.bodies.push(body);
        const last = body.messages.at(-1);
        const answered = Array.isArray(last?.content) && last.content.some((b) => b.type === "tool_result");
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.end(answered ? SECOND_TURN : FIRST_TURN);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const weatherSchema: JSONSchema7 = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};

/**
 * The parts as the next request sees them: ids (each stream numbers its own) left out, and so are
 * `custom` parts (@ai-sdk/anthropic adds one with the raw `message_start`, which is not content).
 */
function comparable(message: UIMessage): unknown[] {
  return message.parts
    .filter((p) => p.type !== "custom")
    .map((p) => {
      // undefined fields are not sent: drop them as JSON would
      const part = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
      delete part.id;
      return part;
    });
}

async function lastMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const m of readUIMessageStream({ stream, terminateOnError: true })) last = m;
  if (!last) throw new Error("the UI stream built no message");
  return structuredClone(last);
}

describe("reasoning state through /v1/ui/chat with the real ai package", () => {
  const upstream = new FakeAnthropic();
  let gateway: Gateway;
  let upstreamUrl: string;

  beforeAll(async () => {
    upstreamUrl = await upstream.start();
    const dir = mkdtempSync(path.join(tmpdir(), "aistream-e2e-"));
    const config = path.join(dir, "gateway.json");
    writeFileSync(
      config,
      JSON.stringify({
        providers: { claude: { protocol: "anthropic", baseUrl: upstreamUrl, apiKey: "sk-test" } },
      }),
    );
    gateway = await startGateway({ args: ["--config", config] });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream.stop();
  });

  it("useChat's UI message equals @ai-sdk/anthropic's, and the next request sends the signed thinking back", async () => {
    const user: UIMessage = { id: "u1", role: "user", parts: [{ type: "text", text: "Weather in Paris?" }] };
    const transport = new DefaultChatTransport<UIMessage>({
      api: new URL("v1/ui/chat", gateway.url).href,
      body: {
        provider: "claude",
        model: MODEL,
        maxOutputTokens: 4096,
        reasoning: { budgetTokens: 1024 },
        tools: [{ name: "get_weather", description: "Weather of a city", parameters: weatherSchema }],
      },
    });
    const ours = await lastMessage(
      await transport.sendMessages({
        trigger: "submit-message",
        chatId: "chat-1",
        messageId: undefined,
        messages: [user],
        abortSignal: undefined,
      }),
    );

    // the same upstream answer through the provider's own AI SDK package
    const anthropic = createAnthropic({ baseURL: `${upstreamUrl}/v1`, apiKey: "sk-test" });
    const result = streamText({
      model: anthropic(MODEL),
      prompt: "Weather in Paris?",
      tools: {
        get_weather: tool({ description: "Weather of a city", inputSchema: jsonSchema(weatherSchema) }),
      },
      providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: 1024 } } },
      maxRetries: 0,
    });
    const theirs = await lastMessage(result.toUIMessageStream());

    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(ours.parts.map((p) => p.type)).toEqual([
      "step-start",
      "reasoning",
      "reasoning",
      "text",
      "tool-get_weather",
    ]);
    expect(ours.parts[1]).toMatchObject({ providerMetadata: { anthropic: { signature: SIGNATURE } } });
    expect(ours.parts[2]).toMatchObject({ providerMetadata: { anthropic: { redactedData: REDACTED } } });

    // the client runs the tool and sends the conversation back, as useChat does after addToolResult
    const toolPart = ours.parts[4] as Record<string, unknown>;
    toolPart.state = "output-available";
    toolPart.output = { temperature: 21, unit: "C" };
    const before = upstream.bodies.length;
    const next = await lastMessage(
      await transport.sendMessages({
        trigger: "submit-message",
        chatId: "chat-1",
        messageId: ours.id,
        messages: [user, ours],
        abortSignal: undefined,
      }),
    );
    expect(next.parts.filter((p) => p.type === "text").map((p) => (p as { text: string }).text)).toEqual([
      "It is 21 °C in Paris.",
    ]);

    const sent = upstream.bodies.slice(before);
    expect(sent).toHaveLength(1);
    const assistant = sent[0]!.messages[1]!;
    expect(assistant.role).toBe("assistant");
    expect(assistant.content).toEqual([
      {
        type: "thinking",
        thinking: "The user wants the weather in Paris. I should call the tool.",
        signature: SIGNATURE,
      },
      { type: "redacted_thinking", data: REDACTED },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
    ]);
    const results = sent[0]!.messages[2]!;
    expect(results.role).toBe("user");
    expect(Array.isArray(results.content) && results.content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: "toolu_01",
    });
  });
});
