// A minimal page built on the Vercel AI SDK's own React hook (`useChat` from @ai-sdk/react),
// talking to the gateway's AI SDK endpoint POST /v1/ui/chat. The e2e test serves it on the
// gateway's origin and checks that text, reasoning and a tool call render as the SDK sees them.
//
// Query parameters: `model` ("provider/model", default simulated/echo), `tools=1` to offer get_weather.
import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport, type UIMessage } from "ai";
import { StrictMode, useMemo, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";

const WEATHER_TOOL = {
  name: "get_weather",
  description: "The current weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const params = new URLSearchParams(location.search);
const model = params.get("model") ?? "simulated/echo";
const offerTools = params.get("tools") === "1";

function Part({ part }: { part: UIMessage["parts"][number] }) {
  if (part.type === "text") return <p data-part="text">{part.text}</p>;
  if (part.type === "reasoning") return <p data-part="reasoning">{part.text}</p>;
  if (part.type === "dynamic-tool" || part.type.startsWith("tool-")) {
    const p = part as { type: string; toolName?: string; state?: string; input?: unknown };
    const name = p.type === "dynamic-tool" ? (p.toolName ?? "") : p.type.slice("tool-".length);
    return (
      <pre data-part="tool" data-tool-name={name} data-state={p.state ?? ""}>
        {JSON.stringify(p.input ?? null)}
      </pre>
    );
  }
  return null;
}

function App() {
  const transport = useMemo(
    () =>
      new DefaultChatTransport({
        api: "/v1/ui/chat",
        body: { model, ...(offerTools ? { tools: [WEATHER_TOOL] } : {}) },
      }),
    [],
  );
  const { messages, sendMessage, status, error } = useChat({ transport });
  const [input, setInput] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    void sendMessage({ text: input });
    setInput("");
  }
  return (
    <main>
      <form onSubmit={submit}>
        <input aria-label="Prompt" value={input} onChange={(e) => setInput(e.target.value)} />
        <button type="submit">Send</button>
      </form>
      <p data-testid="status">{status}</p>
      {error && <p data-testid="error">{error.message}</p>}
      {messages.map((m) => (
        <article key={m.id} data-role={m.role}>
          {m.parts.map((part, i) => (
            <Part key={i} part={part} />
          ))}
        </article>
      ))}
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
