import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { AccumulatedToolCall, ChatMessage, ChatRequest, StreamChunk, Usage } from "@aistream/client";
import { useAIStream, type AIStreamStatus } from "@aistream/client/react";
import { ConnectionCutter } from "./connection";

type Transport = "sse" | "ws";
type Backpressure = "block" | "buffer" | "drop" | "coalesce";
interface ProviderInfo {
  name: string;
  models: string[];
}

const BACKPRESSURE: { value: Backpressure; hint: string }[] = [
  { value: "block", hint: "the reader sets the pace: nothing is read from the provider until asked" },
  { value: "buffer", hint: "the server reads ahead into a bounded buffer" },
  { value: "drop", hint: "when the reader is behind, deltas are skipped and counted; done says how many" },
  { value: "coalesce", hint: "when the reader is behind, queued deltas are merged into one (lossless)" },
];

/** Offered to the model when "Offer a tool" is on (the simulated `tools` model calls it). */
const WEATHER_TOOL = {
  name: "get_weather",
  description: "The current weather in a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
    required: ["city"],
  },
};

/** Timing and ordering of the stream on screen, kept outside React state (updated per chunk). */
interface LiveStats {
  startedAt: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** content, reasoning and tool-call deltas received */
  tokens: number;
  /** the seq the next chunk should have */
  nextSeq: number;
  gaps: number;
  duplicates: number;
  /** set by "Drop connection": the seq after which the resumed stream must continue */
  droppedAfter: number | undefined;
}

interface LogEntry {
  id: number;
  at: number;
  kind: string;
  text: string;
}

/** A finished exchange, frozen when the next one starts. */
interface Turn {
  prompt: string;
  text: string;
  reasoning: string;
  toolCalls: AccumulatedToolCall[];
  finishReason: string | undefined;
  status: AIStreamStatus;
  summary: string;
}

function newStats(): LiveStats {
  return {
    startedAt: performance.now(),
    firstAt: undefined,
    lastAt: undefined,
    tokens: 0,
    nextSeq: 0,
    gaps: 0,
    duplicates: 0,
    droppedAfter: undefined,
  };
}

function ttftText(s: LiveStats, active: boolean, now: number): string {
  if (s.firstAt !== undefined) return `${Math.round(s.firstAt - s.startedAt)} ms`;
  return active ? `${Math.round(now - s.startedAt)} ms…` : "—";
}

function rateText(s: LiveStats, active: boolean, now: number): string {
  if (s.firstAt === undefined || s.tokens < 2) return "—";
  const end = active ? now : (s.lastAt ?? now);
  const seconds = (end - s.firstAt) / 1000;
  return seconds > 0 ? `${((s.tokens - 1) / seconds).toFixed(1)}` : "—";
}

function usageText(u: Usage | undefined): string {
  return u ? `${u.inputTokens} in · ${u.outputTokens} out` : "—";
}

function argumentsText(call: AccumulatedToolCall): string {
  const value = call.complete ? call.arguments : call.partialArguments;
  if (value === undefined) return call.argumentsText;
  return JSON.stringify(value, null, 2);
}

export function App() {
  const [providers, setProviders] = useState<ProviderInfo[] | undefined>();
  const [healthError, setHealthError] = useState<string | undefined>();
  const [provider, setProvider] = useState("");
  const [model, setModel] = useState("");
  const [transport, setTransport] = useState<Transport>("sse");
  const [backpressure, setBackpressure] = useState<Backpressure>("block");
  const [optionsText, setOptionsText] = useState("");
  const [offerTool, setOfferTool] = useState(true);
  const [prompt, setPrompt] = useState("");
  const [inputError, setInputError] = useState<string | undefined>();
  const [history, setHistory] = useState<Turn[]>([]);
  const [currentPrompt, setCurrentPrompt] = useState<string | undefined>();
  const [log, setLog] = useState<LogEntry[]>([]);
  const [, setTick] = useState(0);

  const [cutter] = useState(() => new ConnectionCutter());
  const stats = useRef<LiveStats>(newStats());
  const logId = useRef(0);

  const addLog = useCallback((kind: string, text: string) => {
    const entry = { id: ++logId.current, at: performance.now(), kind, text };
    setLog((l) => [...l.slice(-49), entry]);
  }, []);

  const onChunk = (chunk: StreamChunk) => {
    const s = stats.current;
    const now = performance.now();
    if (chunk.seq > s.nextSeq) s.gaps += chunk.seq - s.nextSeq;
    if (chunk.seq < s.nextSeq) s.duplicates++;
    if (s.droppedAfter !== undefined) {
      addLog(
        "resumed",
        `resumed: the next chunk is seq ${chunk.seq} (the last one before the drop was ${s.droppedAfter})`,
      );
      s.droppedAfter = undefined;
    }
    s.nextSeq = Math.max(s.nextSeq, chunk.seq + 1);
    if (chunk.type === "content" || chunk.type === "reasoning" || chunk.type === "tool_call") {
      s.tokens++;
      s.firstAt ??= now;
      s.lastAt = now;
    }
  };

  const stream = useAIStream("/v1/stream", {
    transport,
    fetch: cutter.fetch,
    WebSocket: cutter.WebSocket,
    onChunk,
  });
  const { status, text, reasoning, toolCalls, usage, finishReason, error, streamId, lastSeq, dropped } =
    stream;
  const active = status === "streaming" || status === "reconnecting";

  // The provider/model picker: the server's live providers.
  useEffect(() => {
    let cancelled = false;
    fetch("/health", { headers: { Accept: "application/json" } })
      .then((r) => r.json() as Promise<{ providers?: ProviderInfo[] }>)
      .then((h) => {
        if (cancelled) return;
        const list = h.providers ?? [];
        setProviders(list);
        const first = list.find((p) => p.name === "simulated") ?? list[0];
        if (first) {
          setProvider(first.name);
          setModel(first.models[0] ?? "");
        }
      })
      .catch((e: unknown) => {
        if (!cancelled)
          setHealthError(`could not load /health: ${e instanceof Error ? e.message : String(e)}`);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  // Live TTFT and tokens/s while a stream runs (renders otherwise happen once per frame with chunks).
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), 100);
    return () => clearInterval(timer);
  }, [active]);

  // The event log follows the status.
  const prevStatus = useRef<AIStreamStatus>("idle");
  useEffect(() => {
    const before = prevStatus.current;
    prevStatus.current = status;
    if (before === status) return;
    const s = stats.current;
    if (status === "reconnecting")
      addLog("reconnecting", "connection lost: reconnecting with the last seq seen");
    else if (status === "streaming" && before === "reconnecting")
      addLog("reconnected", "connection re-established");
    else if (status === "done")
      addLog("done", `done: ${finishReason ?? "?"} · ${s.tokens} deltas · usage ${usageText(usage)}`);
    else if (status === "aborted") addLog("aborted", "stopped: the server was told to cancel the stream");
    else if (status === "error") addLog("error", `error: ${error?.message ?? "unknown"}`);
  }, [status, finishReason, usage, error, addLog]);

  const selected = providers?.find((p) => p.name === provider);

  function changeProvider(name: string) {
    setProvider(name);
    const models = providers?.find((p) => p.name === name)?.models ?? [];
    if (!models.includes(model)) setModel(models[0] ?? "");
  }

  function send(e?: FormEvent) {
    e?.preventDefault();
    const text = prompt.trim();
    if (!text || !provider) return;
    let providerOptions: Record<string, unknown> | undefined;
    if (optionsText.trim()) {
      try {
        const parsed: unknown = JSON.parse(optionsText);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not an object");
        providerOptions = parsed as Record<string, unknown>;
      } catch {
        setInputError('Provider options must be a JSON object, e.g. {"seed": 7, "length": 80}');
        return;
      }
    }
    setInputError(undefined);

    const past: Turn[] = currentPrompt === undefined ? history : [...history, freeze()];
    const messages: ChatMessage[] = [];
    for (const t of past) {
      messages.push({ role: "user", content: t.prompt });
      if (t.text) messages.push({ role: "assistant", content: t.text });
    }
    messages.push({ role: "user", content: text });
    const request: ChatRequest = {
      provider,
      ...(model ? { model } : {}),
      messages,
      backpressure,
      ...(providerOptions ? { providerOptions } : {}),
      ...(offerTool ? { tools: [WEATHER_TOOL] } : {}),
    };

    setHistory(past);
    setCurrentPrompt(text);
    setPrompt("");
    cutter.forget();
    stats.current = newStats();
    addLog(
      "start",
      `${transport === "ws" ? "WebSocket /v1/ws" : "POST /v1/stream"} · ${provider}/${model || "default"} · ${backpressure}`,
    );
    stream.start(request);
  }

  function freeze(): Turn {
    const s = stats.current;
    return {
      prompt: currentPrompt ?? "",
      text,
      reasoning,
      toolCalls,
      finishReason,
      status,
      summary: `TTFT ${ttftText(s, false, 0)} · ${rateText(s, false, 0)} tokens/s · ${finishReason ?? status}`,
    };
  }

  function stop() {
    stream.abort();
  }

  function dropConnection() {
    stats.current.droppedAfter = stats.current.nextSeq - 1;
    const n = cutter.drop();
    addLog(
      "dropped",
      n > 0
        ? `connection dropped after seq ${stats.current.droppedAfter} (the server was not told)`
        : "no live connection to drop",
    );
    if (n === 0) stats.current.droppedAfter = undefined;
  }

  function newChat() {
    stream.abort();
    setHistory([]);
    setCurrentPrompt(undefined);
    setLog([]);
    stats.current = newStats();
  }

  function onPromptKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) send(e);
  }

  // The live statistics are a tally that chunk callbacks update in place, read here at render time:
  // useAIStream re-renders at most once per animation frame while a stream runs, and that render is
  // what shows them (a state update per chunk is what the hook exists to avoid).
  /* eslint-disable react-hooks/refs, react-hooks/purity */
  const now = performance.now();
  const s = stats.current;

  return (
    <div className="page">
      <header>
        <h1>aistream</h1>
        <p className="lede">
          Streams from the gateway with <code>@aistream/client</code> and <code>useAIStream</code>.
        </p>
      </header>

      <section className="settings" aria-label="Settings">
        <label>
          Provider
          <select
            data-testid="provider"
            value={provider}
            onChange={(e) => changeProvider(e.target.value)}
            disabled={!providers}
          >
            {(providers ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          {selected && selected.models.length > 0 ? (
            <select data-testid="model" value={model} onChange={(e) => setModel(e.target.value)}>
              {selected.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          ) : (
            <input
              data-testid="model"
              value={model}
              onChange={(e) => setModel(e.target.value)}
              placeholder="model name"
            />
          )}
        </label>
        <fieldset className="transport">
          <legend>Transport</legend>
          <label>
            <input
              type="radio"
              name="transport"
              value="sse"
              checked={transport === "sse"}
              onChange={() => setTransport("sse")}
            />
            SSE
          </label>
          <label>
            <input
              type="radio"
              name="transport"
              value="ws"
              checked={transport === "ws"}
              onChange={() => setTransport("ws")}
            />
            WebSocket
          </label>
        </fieldset>
        <label>
          Backpressure
          <select
            data-testid="backpressure"
            value={backpressure}
            onChange={(e) => setBackpressure(e.target.value as Backpressure)}
          >
            {BACKPRESSURE.map((b) => (
              <option key={b.value} value={b.value} title={b.hint}>
                {b.value}
              </option>
            ))}
          </select>
          <span className="hint">{BACKPRESSURE.find((b) => b.value === backpressure)?.hint}</span>
        </label>
        <label className="wide">
          Provider options (JSON)
          <input
            data-testid="provider-options"
            value={optionsText}
            onChange={(e) => setOptionsText(e.target.value)}
            placeholder='e.g. {"seed": 7, "length": 80, "tokensPerSecond": 40}'
            spellCheck={false}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="offer-tool"
            checked={offerTool}
            onChange={(e) => setOfferTool(e.target.checked)}
          />
          <span>
            Offer a tool (<code>get_weather</code>)
          </span>
        </label>
        {healthError && (
          <p className="problem" role="alert">
            {healthError}
          </p>
        )}
      </section>

      <section className="transcript" aria-label="Conversation">
        {history.map((t, i) => (
          <TurnView key={i} turn={t} />
        ))}
        {currentPrompt !== undefined && (
          <article className="turn live" data-testid="turn-live" data-status={status}>
            <p className="user">{currentPrompt}</p>
            {reasoning && (
              <details className="reasoning" open>
                <summary>Reasoning</summary>
                <p data-testid="reasoning">{reasoning}</p>
              </details>
            )}
            <p className="answer" data-testid="answer">
              {text}
              {active && <span className="cursor" aria-hidden="true" />}
            </p>
            <ToolCalls calls={toolCalls} />
            {error && (
              <p className="problem" role="alert" data-testid="error">
                {error.message}
              </p>
            )}
          </article>
        )}
      </section>

      <form className="composer" onSubmit={send}>
        <textarea
          data-testid="prompt"
          aria-label="Prompt"
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={onPromptKey}
          placeholder="Ask something… (Enter sends, Shift+Enter for a new line)"
          rows={3}
        />
        <div className="buttons">
          <button type="submit" disabled={!prompt.trim() || !provider}>
            Send
          </button>
          <button type="button" onClick={stop} disabled={!active}>
            Stop
          </button>
          <button
            type="button"
            onClick={dropConnection}
            disabled={status !== "streaming"}
            title="Cut the connection without telling the server; the client resumes from the last seq"
          >
            Drop connection
          </button>
          <button type="button" className="quiet" onClick={newChat}>
            New chat
          </button>
        </div>
        {inputError && (
          <p className="problem" role="alert">
            {inputError}
          </p>
        )}
      </form>

      <section className="stats" aria-label="Stream statistics">
        <Stat label="status" testId="status" value={status} data={{ "data-status": status }} />
        <Stat label="time to first token" testId="ttft" value={ttftText(s, active, now)} />
        <Stat label="tokens/s" testId="tps" value={rateText(s, active, now)} />
        <Stat label="deltas" testId="tokens" value={String(s.tokens)} />
        <Stat
          label="last seq"
          testId="last-seq"
          value={String(lastSeq)}
          data={{ "data-seq": String(lastSeq) }}
        />
        <Stat
          label="seq check"
          testId="seq-check"
          value={
            s.gaps === 0 && s.duplicates === 0
              ? "no gaps, no duplicates"
              : `${s.gaps} missing, ${s.duplicates} duplicates`
          }
          data={{ "data-gaps": String(s.gaps), "data-duplicates": String(s.duplicates) }}
        />
        <Stat label="usage" testId="usage" value={usageText(usage)} />
        {dropped > 0 && <Stat label="dropped by server" testId="dropped" value={String(dropped)} />}
        <Stat label="stream" testId="stream-id" value={streamId ?? "—"} />
      </section>

      <section className="log" aria-label="Events">
        <h2>Events</h2>
        {log.length === 0 ? (
          <p className="muted">Nothing yet. Send a prompt; try Stop, or Drop connection while it streams.</p>
        ) : (
          <ol data-testid="log">
            {log.map((e) => (
              <li key={e.id} data-event={e.kind}>
                {e.text}
              </li>
            ))}
          </ol>
        )}
      </section>

      <footer>
        <a href="/health">/health</a> · <a href="/metrics">/metrics</a>
      </footer>
    </div>
  );
  /* eslint-enable react-hooks/refs, react-hooks/purity */
}

function Stat(props: { label: string; value: string; testId: string; data?: Record<string, string> }) {
  return (
    <div className="stat">
      <span className="label">{props.label}</span>
      <span className="value" data-testid={props.testId} {...props.data}>
        {props.value}
      </span>
    </div>
  );
}

function ToolCalls({ calls }: { calls: AccumulatedToolCall[] }) {
  if (calls.length === 0) return null;
  return (
    <ul className="tool-calls" data-testid="tool-calls">
      {calls.map((c) => (
        <li key={c.index} data-complete={String(c.complete)}>
          <div className="tool-head">
            <span className="tool-name" data-testid="tool-name">
              {c.name || "…"}
            </span>
            <span className="muted">{c.complete ? "tool call" : "tool call (streaming)"}</span>
          </div>
          <pre data-testid="tool-arguments">{argumentsText(c)}</pre>
        </li>
      ))}
    </ul>
  );
}

function TurnView({ turn }: { turn: Turn }) {
  return (
    <article className="turn" data-status={turn.status}>
      <p className="user">{turn.prompt}</p>
      {turn.reasoning && (
        <details className="reasoning">
          <summary>Reasoning</summary>
          <p>{turn.reasoning}</p>
        </details>
      )}
      <p className="answer">{turn.text}</p>
      <ToolCalls calls={turn.toolCalls} />
      <p className="muted small">{turn.summary}</p>
    </article>
  );
}
