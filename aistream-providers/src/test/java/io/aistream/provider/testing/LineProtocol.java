package io.aistream.provider.testing;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseListener;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny test-only provider protocol — scaffolding for transport tests, not a real provider.
 *
 * <p>Request: {@code POST {baseUrl}/line} with {@code {"model":…,"messages":[{"role":…,"content":…}]}}.
 * Response: SSE where each {@code data:} is one JSON value — a JSON string is a content delta,
 * {@code {"reasoning":"…"}} a reasoning delta, {@code {"tool":{"index":0,"id":…,"name":…,"arguments":…}}}
 * a whole tool call, {@code {"usage":{"input":n,"output":m}}} usage (also the decoder's usage so far), {@code {"error":{"type":…,
 * "message":…,"retryable":…}}} an in-stream error (then done(error)); {@code data: [DONE]} ends
 * with done(stop) (tool_calls if any were seen). Anything else is a malformed event.
 */
public final class LineProtocol implements ProviderProtocol {
    static final JsonMapper JSON = JsonMapper.shared();

    private final boolean prefill;

    /** A protocol without assistant prefill. */
    public LineProtocol() {
        this(false);
    }

    /** A protocol that treats a trailing assistant message as a prefix to continue, or not. */
    public LineProtocol(boolean prefill) {
        this.prefill = prefill;
    }

    /** A provider config named {@code name} at {@code baseUrl}. */
    public static ProviderConfig config(String name, URI baseUrl) {
        return new ProviderConfig(name, "line", baseUrl, Optional.of("sk-test-secret"), Map.of());
    }

    @Override
    public String id() {
        return "line";
    }

    @Override
    public boolean supportsAssistantPrefill() {
        return prefill;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model().orElseThrow());
        ArrayNode messages = body.putArray("messages");
        for (Message m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", text(m));
        }
        String base = config.baseUrl().toString();
        URI uri = URI.create((base.endsWith("/") ? base : base + "/") + "line");
        Map<String, List<String>> headers = Map.of(
                "content-type", List.of("application/json"),
                "authorization", List.of("Bearer " + config.apiKey().orElse("")));
        return new UpstreamRequest(uri, headers, JSON.writeValueAsBytes(body));
    }

    private static String text(Message m) {
        return switch (m) {
            case Message.User u ->
                u.content().stream()
                        .map(p -> p instanceof ContentPart.Text t ? t.text() : "")
                        .collect(Collectors.joining());
            case Message.Assistant a -> a.text();
            case Message.Tool t -> t.content();
        };
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new Decoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        String type = "provider_error";
        String message;
        try {
            JsonNode error = JSON.readTree(body).path("error");
            type = error.path("type").asString("provider_error");
            message = error.path("message").asString("HTTP " + status);
        } catch (JacksonException e) {
            String raw = new String(body, StandardCharsets.UTF_8);
            message = raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
        }
        Optional<Duration> retryAfter = headers.firstValue("retry-after-ms")
                .map(ms -> Duration.ofMillis(Long.parseLong(ms)))
                .or(() -> headers.firstValue("retry-after").map(s -> Duration.ofSeconds(Long.parseLong(s))));
        return new ProviderHttpException(
                config.name(), status, type, message, headers.firstValue("x-request-id"), retryAfter);
    }

    // ---- helpers for scripting responses ----

    /** One content delta event. */
    public static String delta(String text) {
        return "data: " + JSON.writeValueAsString(text) + "\n\n";
    }

    /** Content delta events for each text, then {@code [DONE]}. */
    public static String sse(String... deltas) {
        StringBuilder sb = new StringBuilder();
        for (String d : deltas) {
            sb.append(delta(d));
        }
        return sb.append(done()).toString();
    }

    /** The terminal event. */
    public static String done() {
        return "data: [DONE]\n\n";
    }

    /** A usage event. */
    public static String usage(long input, long output) {
        return "data: {\"usage\":{\"input\":" + input + ",\"output\":" + output + "}}\n\n";
    }

    /** A reasoning delta event. */
    public static String reasoning(String text) {
        return "data: {\"reasoning\":" + JSON.writeValueAsString(text) + "}\n\n";
    }

    /** A whole tool call event. */
    public static String tool(int index, String id, String name, String arguments) {
        return "data: {\"tool\":{\"index\":" + index + ",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"arguments\":"
                + JSON.writeValueAsString(arguments) + "}}\n\n";
    }

    /** An in-stream error event. */
    public static String error(String type, String message, boolean retryable) {
        return "data: {\"error\":{\"type\":\"" + type + "\",\"message\":" + JSON.writeValueAsString(message)
                + ",\"retryable\":" + retryable + "}}\n\n";
    }

    /** The decoder: SSE framing by {@link SseDecoder}, one JSON value per event. */
    private static final class Decoder implements StreamDecoder, SseListener {
        private final DecoderContext context;
        private final SseDecoder sse = new SseDecoder(this);
        private Consumer<? super StreamChunk> out;
        private Usage usage;
        private boolean sawTool;
        private boolean done;

        Decoder(DecoderContext context) {
            this.context = context;
        }

        @Override
        public void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> sink) {
            if (done) {
                return;
            }
            out = sink;
            sse.feed(bytes, off, len);
        }

        @Override
        public void end(Consumer<? super StreamChunk> sink) {
            if (done) {
                return;
            }
            out = sink;
            sse.end();
            if (!done) {
                fail(new ChunkError(
                        ErrorCode.INCOMPLETE_STREAM.wireName(),
                        "the line stream ended without [DONE]",
                        true,
                        Optional.of(context.provider()),
                        OptionalInt.empty()));
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Optional<Usage> usageSoFar() {
            return Optional.ofNullable(usage);
        }

        @Override
        public void onEvent(SseEvent event) {
            if (done) {
                return;
            }
            String data = event.data();
            if (data.equals("[DONE]")) {
                finish(sawTool ? FinishReason.TOOL_CALLS : FinishReason.STOP);
                return;
            }
            JsonNode node;
            try {
                node = JSON.readTree(data);
            } catch (JacksonException e) {
                fail(new ChunkError(
                        ErrorCode.MALFORMED_EVENT.wireName(),
                        "event data is not JSON: " + (data.length() > 60 ? data.substring(0, 60) + "…" : data),
                        false,
                        Optional.of(context.provider()),
                        OptionalInt.empty()));
                return;
            }
            if (node.isString()) {
                out.accept(ContentChunk.of(node.stringValue()));
            } else if (node.has("reasoning")) {
                out.accept(ReasoningChunk.of(node.path("reasoning").asString()));
            } else if (node.has("tool")) {
                JsonNode t = node.path("tool");
                sawTool = true;
                out.accept(ToolCallChunk.of(ToolCallDelta.start(
                        t.path("index").asInt(),
                        t.path("id").asString(),
                        t.path("name").asString(),
                        t.path("arguments").asString())));
            } else if (node.has("usage")) {
                JsonNode u = node.path("usage");
                usage = Usage.of(u.path("input").asLong(), u.path("output").asLong());
            } else if (node.has("error")) {
                JsonNode e = node.path("error");
                String type = e.path("type").asString("provider_error");
                boolean retryable = e.has("retryable") ? e.path("retryable").asBoolean() : type.contains("overloaded");
                fail(new ChunkError(
                        type,
                        e.path("message").asString(""),
                        retryable,
                        Optional.of(context.provider()),
                        OptionalInt.empty()));
            } else {
                fail(new ChunkError(
                        ErrorCode.MALFORMED_EVENT.wireName(),
                        "unexpected event " + data,
                        false,
                        Optional.of(context.provider()),
                        OptionalInt.empty()));
            }
        }

        private void fail(ChunkError error) {
            out.accept(ErrorChunk.of(error));
            finish(FinishReason.ERROR);
        }

        private void finish(FinishReason reason) {
            done = true;
            DoneChunk d = DoneChunk.of(reason)
                    .withMetadata(
                            Optional.ofNullable(usage), Optional.of(context.provider()), Optional.of(context.model()));
            out.accept(d);
        }
    }
}
