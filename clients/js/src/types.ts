/**
 * The native chunk model of aistream, as the gateway sends it (one JSON object per SSE event or
 * WebSocket message). Every stream has an id (`st_…`) and its chunks a gap-free `seq` from 0;
 * exactly one `done` chunk ends each stream.
 */

/** Why a stream ended. */
export type FinishReason =
  "stop" | "length" | "tool_calls" | "content_filter" | "error" | "aborted" | "other";

/** Token usage, when the provider reports it. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

interface ChunkBase {
  /** The server's stream id, e.g. `st_1`. */
  id: string;
  /** Position in the stream: 0, 1, 2, … without gaps. */
  seq: number;
  /** The client's stream name, on chunks that arrive over a multiplexed WebSocket. */
  stream?: string;
}

export interface ContentChunk extends ChunkBase {
  type: "content";
  delta: string;
}

export interface ReasoningChunk extends ChunkBase {
  type: "reasoning";
  delta: string;
}

/** One piece of a tool call; pieces with the same `index` belong to one call. */
export interface ToolCallDelta {
  index: number;
  /** Present on the first piece of a call (at least). */
  id?: string;
  /** Present on the first piece of a call (at least). */
  name?: string;
  /** The next part of the arguments' JSON text. */
  argumentsDelta?: string;
}

export interface ToolCallChunk extends ChunkBase {
  type: "tool_call";
  toolCall: ToolCallDelta;
}

/** An error reported inside a stream (after the HTTP response began). */
export interface ChunkErrorInfo {
  code: string;
  message: string;
  retryable?: boolean;
  provider?: string;
  status?: number;
}

export interface ErrorChunk extends ChunkBase {
  type: "error";
  error: ChunkErrorInfo;
}

/** The terminal chunk: exactly one per stream, always last (also after an error). */
export interface DoneChunk extends ChunkBase {
  type: "done";
  finishReason: FinishReason;
  usage?: Usage;
  provider?: string;
  model?: string;
  /**
   * The full answer text (every content delta, delivered or dropped). Present only when deltas were
   * dropped (backpressure `drop`) and the server kept the text under its per-stream cap (off by
   * default); `dropped > 0` without `content` means the text received is incomplete.
   */
  content?: string;
  /** A refusal reported on its own channel; not part of the content. */
  refusal?: string;
  /** How many content/reasoning chunks the server dropped (backpressure `drop`); see {@link content}. */
  dropped?: number;
  /** Whether the server continued the stream on another attempt after a failure. */
  recovered?: boolean;
}

/**
 * A chunk of a type this client does not know (sent by a newer server). It is passed through,
 * not dropped, so callers can see it; {@link Accumulator} ignores it.
 */
export interface UnknownChunk extends ChunkBase {
  type: "unknown";
  /** The `type` the server sent. */
  wireType: string;
  /** The whole chunk as received. */
  raw: Record<string, unknown>;
}

/** One chunk of a stream, discriminated by `type`. */
export type StreamChunk =
  ContentChunk | ReasoningChunk | ToolCallChunk | ErrorChunk | DoneChunk | UnknownChunk;

export type ChunkType = StreamChunk["type"];

/** A part of a user message. */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image"; url: string }
  | { type: "image"; mediaType: string; data: string };

/** One message of a conversation, in the gateway's native request shape. */
export type ChatMessage =
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content?: string;
      toolCalls?: { id: string; name: string; arguments: unknown }[];
    }
  | { role: "tool"; toolCallId: string; name?: string; content: string; isError?: boolean };

/**
 * The body of `POST /v1/stream` (and of a WebSocket `start`): a chat request plus the gateway's
 * own fields. Unknown fields are rejected by the server, so the type is kept close to its shape;
 * the index signature lets newer server fields through.
 */
export interface ChatRequest {
  provider?: string;
  model?: string;
  system?: string;
  messages: ChatMessage[];
  tools?: { name: string; description?: string; parameters?: unknown }[];
  toolChoice?: "auto" | "none" | "required" | { tool: string };
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stop?: string | string[];
  reasoning?: { effort: string } | { budgetTokens: number };
  providerOptions?: Record<string, unknown>;
  backpressure?: "block" | "buffer" | "drop" | "coalesce";
  bufferCapacity?: number;
  /** Whether the server keeps the stream's chunks for resume; the client sets it when resume is on. */
  resumable?: boolean;
  timeouts?: { firstChunkMs?: number; idleMs?: number; totalMs?: number };
  [field: string]: unknown;
}
