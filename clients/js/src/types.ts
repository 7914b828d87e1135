/**
 * The native chunk model of aistream, as the gateway sends it (one JSON object per SSE event or
 * WebSocket message). Every stream has an id (`st_…`) and its chunks a gap-free `seq` from 0;
 * exactly one `done` chunk ends each stream.
 */

/** Why a stream ended. */
export type FinishReason =
  "stop" | "length" | "tool_calls" | "content_filter" | "error" | "aborted" | "other";

/**
 * Token usage, when the provider reports it. `inputTokens` counts all input tokens, cached ones
 * included; `cacheReadTokens` and `cacheWriteTokens` are parts of it, `reasoningTokens` a part of
 * `outputTokens`. The optional fields are absent when the provider did not report them.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cacheReadTokens?: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning. */
  reasoningTokens?: number;
}

/**
 * Opaque state a provider attaches to its reasoning and requires back, unchanged, with the next
 * request of the conversation (send it back in an assistant message's `parts`; see
 * {@link AssistantMessagePart}). Never interpret or edit the values.
 */
export interface ReasoningState {
  /** Who produced it and accepts it back: "anthropic", "bedrock", "google" or "openai". */
  source: string;
  /** A reasoning block's signature (Anthropic, Bedrock) or a Gemini thought signature. */
  signature?: string;
  /** Redacted reasoning data standing for a whole reasoning block. */
  redacted?: string;
  /** The OpenAI Responses reasoning item's id. */
  itemId?: string;
  /** The OpenAI Responses reasoning item's encrypted content. */
  encryptedContent?: string;
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
  /** A thought signature attached to this text (Gemini). */
  state?: ReasoningState;
}

export interface ReasoningChunk extends ChunkBase {
  type: "reasoning";
  delta: string;
  /** The block's signature, redacted data or encrypted item: it ends its reasoning block. */
  state?: ReasoningState;
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
  /** A thought signature attached to the call (Gemini). */
  state?: ReasoningState;
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
  /** What the stream cost, from the gateway's price table (when it has one for the model). */
  cost?: number;
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

/**
 * A part of an earlier assistant turn, in the order the model produced it, with the reasoning
 * state its provider requires back.
 */
export type AssistantMessagePart =
  | { type: "reasoning"; text: string; state?: ReasoningState }
  | { type: "text"; text: string; state?: ReasoningState }
  | { type: "tool_call"; id: string; name: string; arguments: unknown; state?: ReasoningState };

/**
 * One message of a conversation, in the gateway's native request shape. An assistant message is
 * either `content` + `toolCalls`, or `parts` (ordered, with reasoning and its state: what
 * providers with signed reasoning need back; see {@link assistantMessage}).
 */
export type ChatMessage =
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content?: string;
      toolCalls?: { id: string; name: string; arguments: unknown }[];
    }
  | { role: "assistant"; parts: AssistantMessagePart[] }
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
