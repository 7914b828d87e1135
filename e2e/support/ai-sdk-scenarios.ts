import { APICallError, isStepCount, jsonSchema, streamText, tool, type LanguageModel } from "ai";
import { expect } from "vitest";
import { abortsTotal, LONG_PROMPT, WEATHER, type CompatClient, type Endpoint } from "./compat.js";
import type { Gateway } from "./gateway.js";

/** Collects the errors streamText reports (it logs them and ends the stream rather than throwing). */
export function errorSink(): { onError: (event: { error: unknown }) => void; rethrow: () => void } {
  const errors: unknown[] = [];
  return {
    onError: ({ error }) => {
      errors.push(error);
    },
    rethrow: () => {
      if (errors.length > 0) throw errors[0];
    },
  };
}

/**
 * The scenarios every AI SDK provider runs the same way (`streamText` from `ai`): text, a tool round
 * trip, abort and unknown model, each recording its matrix row through `compat`.
 *
 * @param model   the provider's language model for a `provider/model` id
 * @param gateway the running gateway (read when a scenario runs, after beforeAll started it)
 */
export function aiSdkScenarios(
  compat: CompatClient,
  endpoint: Endpoint,
  model: (id: string) => LanguageModel,
  gateway: () => Gateway,
): void {
  compat.test(endpoint, "text", async () => {
    const prompt = "Hello from the AI SDK";
    const errors = errorSink();
    const result = streamText({
      model: model("simulated/echo"),
      prompt,
      maxRetries: 0,
      onError: errors.onError,
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    errors.rethrow();
    expect(deltas.join("")).toBe(prompt);
    expect(deltas.length).toBeGreaterThan(1);
    expect(await result.finishReason).toBe("stop");
    return `${deltas.length} text deltas, finishReason stop`;
  });

  compat.test(endpoint, "tools", async () => {
    const calls: unknown[] = [];
    const errors = errorSink();
    const result = streamText({
      model: model("simulated/tools"),
      prompt: "What is the weather in Paris?",
      tools: {
        [WEATHER.name]: tool({
          description: WEATHER.description,
          inputSchema: jsonSchema<{ city: string }>(WEATHER.parameters),
          execute: (input) => {
            calls.push(input);
            return Promise.resolve(WEATHER.result);
          },
        }),
      },
      // step 1 calls the tool, step 2 answers with its result
      stopWhen: isStepCount(2),
      maxRetries: 0,
      onError: errors.onError,
    });
    let text: string;
    try {
      text = await result.text;
    } catch (e) {
      errors.rethrow(); // the gateway's error, not the "no output" that follows it
      throw e;
    }
    errors.rethrow();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveProperty("city");
    expect((await result.steps).length).toBe(2);
    expect(text).toContain(WEATHER.result);
    return `executed ${WEATHER.name}(${JSON.stringify(calls[0])}), step 2 quotes the result`;
  });

  compat.test(endpoint, "abort", async () => {
    const before = await abortsTotal(gateway());
    const controller = new AbortController();
    const errors = errorSink();
    const result = streamText({
      model: model("simulated/echo"),
      prompt: LONG_PROMPT,
      abortSignal: controller.signal,
      maxRetries: 0,
      onError: errors.onError,
    });
    let deltas = 0;
    for await (const delta of result.textStream) {
      if (delta) {
        deltas++;
        controller.abort();
        break;
      }
    }
    errors.rethrow();
    if (deltas === 0) throw new Error("the stream ended before its first text delta");
    await expect.poll(() => abortsTotal(gateway()), { timeout: 10_000 }).toBeGreaterThan(before);
    return "abortSignal after the first delta: aistream_aborts_total rose";
  });

  compat.test(endpoint, "unknown model", async () => {
    let error: unknown;
    const result = streamText({
      model: model("simulated/no-such-model"),
      prompt: "Hello",
      maxRetries: 0,
      onError: (event) => {
        error ??= event.error;
      },
    });
    for await (const part of result.fullStream) if (part.type === "error") error ??= part.error;
    if (!APICallError.isInstance(error)) throw new Error(`expected an APICallError, got ${String(error)}`);
    expect(error.statusCode).toBe(404);
    expect(error.message).toContain("simulated/no-such-model");
    return `APICallError ${error.statusCode}: ${error.message}`;
  });
}
