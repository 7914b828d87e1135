import type OpenAI from "openai";
import { expect } from "vitest";

/** What one streamed Chat Completion gave: its text, how many content deltas carried it, its finish reason. */
export interface StreamedChat {
  text: string;
  deltas: number;
  finish: string | null | undefined;
}

/**
 * Streams `prompt` to `simulated/echo` through the openai client and collects the answer, checking that
 * every chunk is a `chat.completion.chunk`.
 */
export async function streamEcho(client: OpenAI, prompt: string): Promise<StreamedChat> {
  const stream = await client.chat.completions.create({
    model: "simulated/echo",
    stream: true,
    messages: [{ role: "user", content: prompt }],
  });
  const result: StreamedChat = { text: "", deltas: 0, finish: undefined };
  for await (const chunk of stream) {
    expect(chunk.object).toBe("chat.completion.chunk");
    const content = chunk.choices[0]?.delta?.content;
    if (content) {
      result.text += content;
      result.deltas++;
    }
    result.finish = chunk.choices[0]?.finish_reason ?? result.finish;
  }
  return result;
}
