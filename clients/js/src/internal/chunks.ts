import { AIStreamError } from "../errors.js";
import type { StreamChunk } from "../types.js";

const KNOWN = new Set(["content", "reasoning", "tool_call", "error", "done"]);

function protocol(message: string, streamId?: string, cause?: unknown): AIStreamError {
  return new AIStreamError({
    kind: "protocol",
    code: "malformed_chunk",
    message,
    ...(streamId !== undefined ? { streamId } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Checks a decoded JSON value against the chunk model's required fields and returns it as a
 * {@link StreamChunk}. Unknown chunk types become `unknown` chunks; a value that is not a chunk
 * at all is a protocol error.
 */
export function toChunk(value: unknown, streamId?: string): StreamChunk {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw protocol("a chunk must be a JSON object", streamId);
  }
  const o = value as Record<string, unknown>;
  if (typeof o.type !== "string") {
    throw protocol('a chunk needs a string "type"', streamId);
  }
  if (typeof o.seq !== "number" || !Number.isInteger(o.seq) || o.seq < 0) {
    throw protocol(`a ${o.type} chunk needs a whole-number "seq" ≥ 0`, streamId);
  }
  if (typeof o.id !== "string") {
    throw protocol(`a ${o.type} chunk needs a string "id"`, streamId);
  }
  if (!KNOWN.has(o.type)) {
    return {
      id: o.id,
      seq: o.seq,
      type: "unknown",
      wireType: o.type,
      raw: o,
      ...(typeof o.stream === "string" ? { stream: o.stream } : {}),
    };
  }
  switch (o.type) {
    case "content":
    case "reasoning":
      if (typeof o.delta !== "string") throw protocol(`a ${o.type} chunk needs a string "delta"`, streamId);
      break;
    case "tool_call": {
      const tc = o.toolCall as Record<string, unknown> | undefined;
      if (typeof tc !== "object" || tc === null || typeof tc.index !== "number") {
        throw protocol('a tool_call chunk needs "toolCall" with a number "index"', streamId);
      }
      break;
    }
    case "error": {
      const e = o.error as Record<string, unknown> | undefined;
      if (
        typeof e !== "object" ||
        e === null ||
        typeof e.code !== "string" ||
        typeof e.message !== "string"
      ) {
        throw protocol('an error chunk needs "error" with string "code" and "message"', streamId);
      }
      break;
    }
    case "done":
      if (typeof o.finishReason !== "string")
        throw protocol('a done chunk needs a string "finishReason"', streamId);
      break;
  }
  return o as unknown as StreamChunk;
}

/** Parses one chunk's JSON text. */
export function parseChunk(text: string, streamId?: string): StreamChunk {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const shown = text.length > 120 ? text.slice(0, 120) + "…" : text;
    throw protocol(`a chunk is not valid JSON: ${shown}`, streamId, e);
  }
  return toChunk(value, streamId);
}
