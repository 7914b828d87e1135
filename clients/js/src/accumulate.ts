import { AIStreamError } from "./errors.js";
import { parsePartialJson } from "./partial-json.js";
import type {
  AssistantMessagePart,
  ChatMessage,
  FinishReason,
  ReasoningState,
  StreamChunk,
  Usage,
} from "./types.js";

/** A tool call put together from its `tool_call` chunks. */
export interface AccumulatedToolCall {
  /** The call's position among the stream's tool calls. */
  index: number;
  id: string;
  name: string;
  /** The arguments' JSON text as received so far. */
  argumentsText: string;
  /** The parsed arguments, once the call is complete and its text is valid JSON. */
  arguments: unknown;
  /** A best-effort parse of the text so far (see {@link parsePartialJson}); the full value once complete. */
  partialArguments: unknown;
  /** The arguments are complete: their JSON object/array closed, or the stream ended. */
  complete: boolean;
  /** Set when the call is complete but its text is not valid JSON. */
  argumentsError?: string;
}

/**
 * One part of the answer, in the order it came: a reasoning block, a run of text, or a tool call
 * (by its {@link AccumulatedToolCall.index}), each with the reasoning state it carried. The rules
 * are the server's (`Accumulator` in aistream-core): reasoning deltas form one block until a
 * reasoning chunk with state ends it (redacted reasoning is a block of its own); content deltas
 * form one run (a second state on content starts a new run); a tool call takes the place of its
 * first piece. With backpressure `drop`, text parts hold only the deltas that arrived.
 */
export type AccumulatedPart =
  | { type: "reasoning"; text: string; state?: ReasoningState }
  | { type: "text"; text: string; state?: ReasoningState }
  | { type: "tool_call"; index: number; state?: ReasoningState };

/** Everything a stream said, put together. */
export interface Accumulated {
  streamId: string | undefined;
  /**
   * The answer text. With backpressure `drop`, the `done` chunk's `content` replaces it when the
   * server kept the whole text (under its recovery cap); when `dropped > 0` and the `done` had no
   * `content`, this is only the deltas that arrived: the text is incomplete.
   */
  text: string;
  reasoning: string;
  /** The answer's parts in order, with their reasoning state (see {@link assistantMessage}). */
  parts: AccumulatedPart[];
  refusal: string | undefined;
  toolCalls: AccumulatedToolCall[];
  usage: Usage | undefined;
  finishReason: FinishReason | undefined;
  /** The stream's `error` chunk as an error, if it had one. */
  error: AIStreamError | undefined;
  provider: string | undefined;
  model: string | undefined;
  /**
   * Content/reasoning chunks the server dropped (backpressure `drop`). Above 0, {@link text} is
   * whole only if the `done` chunk carried `content`; otherwise it lacks the dropped deltas.
   */
  dropped: number;
  recovered: boolean;
  /** Whether the `done` chunk arrived. */
  done: boolean;
  /** The seq of the last chunk taken in, -1 before the first. */
  lastSeq: number;
}

interface CallState {
  index: number;
  id: string;
  name: string;
  text: string;
  snapshot: AccumulatedToolCall | undefined;
}

interface PartMark {
  type: "reasoning" | "text" | "tool_call";
  text: string;
  index: number;
  state: ReasoningState | undefined;
}

/**
 * Puts a stream together chunk by chunk. {@link value} is an immutable snapshot that keeps its
 * identity until the next change, so it can go straight into UI state. Chunks at or below the
 * last seq are ignored (a replay after resume changes nothing).
 */
export class Accumulator {
  private text = "";
  private reasoning = "";
  private calls: CallState[] = [];
  private callsByIndex = new Map<number, CallState>();
  private marks: PartMark[] = [];
  /** The reasoning block or text run still growing, if any. */
  private open: PartMark | undefined;
  private doneInfo: Partial<Accumulated> = {};
  private error: AIStreamError | undefined;
  private streamId: string | undefined;
  private lastSeq = -1;
  private done = false;
  private cached: Accumulated | undefined;

  /** Takes in one chunk; returns whether it changed anything. */
  push(chunk: StreamChunk): boolean {
    if (chunk.seq <= this.lastSeq || this.done) return false;
    this.lastSeq = chunk.seq;
    this.streamId ??= chunk.id;
    this.cached = undefined;
    switch (chunk.type) {
      case "content":
        this.text += chunk.delta;
        this.addText(chunk.delta, chunk.state);
        break;
      case "reasoning":
        this.reasoning += chunk.delta;
        this.addReasoning(chunk.delta, chunk.state);
        break;
      case "tool_call": {
        const d = chunk.toolCall;
        this.open = undefined;
        let call = this.callsByIndex.get(d.index);
        if (!call) {
          call = { index: d.index, id: "", name: "", text: "", snapshot: undefined };
          this.callsByIndex.set(d.index, call);
          this.calls.push(call);
          this.calls.sort((a, b) => a.index - b.index);
          this.marks.push({ type: "tool_call", text: "", index: d.index, state: undefined });
        }
        if (chunk.state) {
          const mark = this.marks.find((m) => m.type === "tool_call" && m.index === d.index);
          if (mark) mark.state = chunk.state;
        }
        if (d.id) call.id = d.id;
        if (d.name) call.name = d.name;
        if (d.argumentsDelta) call.text += d.argumentsDelta;
        call.snapshot = undefined;
        break;
      }
      case "error":
        this.error = AIStreamError.fromChunk(chunk);
        break;
      case "done":
        this.done = true;
        this.doneInfo = {
          finishReason: chunk.finishReason,
          usage: chunk.usage,
          provider: chunk.provider,
          model: chunk.model,
          refusal: chunk.refusal,
          dropped: chunk.dropped ?? 0,
          recovered: chunk.recovered ?? false,
        };
        if (chunk.content !== undefined) this.text = chunk.content;
        for (const c of this.calls) c.snapshot = undefined;
        break;
      case "unknown":
        break;
    }
    return true;
  }

  /** Takes in several chunks. */
  pushAll(chunks: Iterable<StreamChunk>): this {
    for (const c of chunks) this.push(c);
    return this;
  }

  /** The current state; the same object until the next change. */
  get value(): Accumulated {
    this.cached ??= {
      streamId: this.streamId,
      text: this.text,
      reasoning: this.reasoning,
      parts: this.marks.map((m): AccumulatedPart => {
        if (m.type === "tool_call")
          return { type: m.type, index: m.index, ...(m.state ? { state: m.state } : {}) };
        return { type: m.type, text: m.text, ...(m.state ? { state: m.state } : {}) };
      }),
      refusal: this.doneInfo.refusal,
      toolCalls: this.calls.map((c) => (c.snapshot ??= this.toolCall(c))),
      usage: this.doneInfo.usage,
      finishReason: this.doneInfo.finishReason,
      error: this.error,
      provider: this.doneInfo.provider,
      model: this.doneInfo.model,
      dropped: this.doneInfo.dropped ?? 0,
      recovered: this.doneInfo.recovered ?? false,
      done: this.done,
      lastSeq: this.lastSeq,
    };
    return this.cached;
  }

  private addText(delta: string, state: ReasoningState | undefined): void {
    let open = this.open;
    if (open?.type !== "text" || (state && open.state)) {
      if (delta.length === 0 && !state) return;
      open = { type: "text", text: "", index: -1, state: undefined };
      this.open = open;
      this.marks.push(open);
    }
    open.text += delta;
    if (state) open.state = state;
  }

  private addReasoning(delta: string, state: ReasoningState | undefined): void {
    let open = this.open;
    if (open?.type !== "reasoning" || state?.redacted !== undefined) {
      if (delta.length === 0 && !state) return;
      open = { type: "reasoning", text: "", index: -1, state: undefined };
      this.open = open;
      this.marks.push(open);
    }
    open.text += delta;
    if (state) {
      open.state = state;
      this.open = undefined; // the state ends its block
    }
  }

  private toolCall(c: CallState): AccumulatedToolCall {
    const base = { index: c.index, id: c.id, name: c.name, argumentsText: c.text };
    let parsed: unknown;
    let valid = false;
    let parseError: string | undefined;
    const trimmed = c.text.trim();
    if (trimmed.length === 0) {
      // a call without arguments is complete with {} once the stream is done
      return {
        ...base,
        arguments: this.done ? {} : undefined,
        partialArguments: this.done ? {} : undefined,
        complete: this.done,
      };
    }
    try {
      parsed = JSON.parse(trimmed);
      valid = true;
    } catch (e) {
      parseError = e instanceof Error ? e.message : String(e);
    }
    const closed = valid && (trimmed.startsWith("{") || trimmed.startsWith("["));
    const complete = this.done || closed;
    if (complete && valid) {
      return { ...base, arguments: parsed, partialArguments: parsed, complete };
    }
    const partial = parsePartialJson(c.text);
    if (complete) {
      return {
        ...base,
        arguments: undefined,
        partialArguments: partial,
        complete,
        argumentsError: parseError ?? "invalid JSON",
      };
    }
    return { ...base, arguments: undefined, partialArguments: partial, complete };
  }
}

/** Puts a list of chunks together. */
export function accumulate(chunks: Iterable<StreamChunk>): Accumulated {
  return new Accumulator().pushAll(chunks).value;
}

/**
 * Reads a stream to its end and puts it together. Whatever the stream throws is thrown here
 * (with `errors: "throw"`, the default, an `error` chunk is thrown after the stream ended).
 */
export async function accumulateStream(chunks: AsyncIterable<StreamChunk>): Promise<Accumulated> {
  const acc = new Accumulator();
  for await (const c of chunks) acc.push(c);
  return acc.value;
}

/**
 * The assistant message that sends an answer back as conversation history, in the native `parts`
 * form: its reasoning (with state), text and tool calls in order, so that providers which require
 * their signed reasoning back (Anthropic extended thinking with tools, Bedrock, Gemini 3 function
 * calling, OpenAI Responses) accept the next request. Tool calls whose arguments are not valid JSON
 * are sent with `{}`.
 */
export function assistantMessage(answer: Accumulated): ChatMessage {
  const parts: AssistantMessagePart[] = [];
  for (const p of answer.parts) {
    if (p.type !== "tool_call") {
      parts.push(p);
      continue;
    }
    const call = answer.toolCalls.find((c) => c.index === p.index);
    if (!call) continue;
    parts.push({
      type: "tool_call",
      id: call.id,
      name: call.name,
      arguments: call.arguments ?? {},
      ...(p.state ? { state: p.state } : {}),
    });
  }
  return { role: "assistant", parts };
}
