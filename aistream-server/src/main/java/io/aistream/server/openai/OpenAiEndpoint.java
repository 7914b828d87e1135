package io.aistream.server.openai;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.AnswerPart;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.InvalidToolArgumentsException;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.ToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.http.Access;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.ModelTargets;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/chat/completions} — OpenAI's Chat Completions API in front of every provider.
 *
 * <p>{@code model} is a name of the provider map (a provider, an alias or a chain: its own default
 * model) or {@code provider/model} (only the first slash separates). The body is read by
 * {@link OpenAiRequest}; {@code stream: true} answers {@code chat.completion.chunk} SSE
 * ({@link OpenAiSse}), otherwise the stream is accumulated on the server and answered as one
 * {@code chat.completion}. Either way the stream is a non-resumable one of {@link StreamService}
 * (backpressure {@code block}): a client that goes away aborts the upstream at once. The response
 * carries {@code X-Stream-Id}, so {@code DELETE /v1/streams/{id}} can abort it.
 *
 * <p>Every error is in OpenAI's shape ({@link OpenAiError#WRITER}), authentication's 401 included:
 * the dispatcher's authentication step answers it through the route's error writer. The same holds
 * for {@code GET /v1/models} ({@link OpenAiModels}), whose routes this class exposes too.
 * Thread-safe.
 */
public final class OpenAiEndpoint implements Routes {
    /** Bearer keys; OpenAI's 401 ({@link OpenAiError#from} makes it {@code invalid_api_key}). */
    static final Access ACCESS = Access.bearer(new ApiError(
            401,
            "invalid_api_key",
            "Incorrect or missing API key: send Authorization: Bearer <key>.",
            Optional.empty(),
            Map.of("WWW-Authenticate", "Bearer")));

    private final StreamService streams;
    private final int maxBodyBytes;
    private final Duration keepAlive;

    public OpenAiEndpoint(StreamService streams, int maxBodyBytes, Duration keepAlive) {
        this.streams = streams;
        this.maxBodyBytes = maxBodyBytes;
        this.keepAlive = keepAlive;
    }

    /**
     * The chat route and the model list's routes: {@code Authorization: Bearer <key>}, every error in
     * OpenAI's shape, authentication's 401 included.
     */
    @Override
    public List<Route> routes() {
        List<Route> all = new ArrayList<>();
        all.add(new Route("POST", "/v1/chat/completions", ACCESS, OpenAiError.WRITER, this::serve));
        all.addAll(new OpenAiModels(streams).routes());
        return List.copyOf(all);
    }

    private void serve(Exchange ex) throws IOException {
        String principal = ex.principal();
        byte[] body = ex.readJsonBytes(maxBodyBytes);
        JsonNode tree;
        try {
            tree = ChatRequestJson.readTree(body);
        } catch (InvalidRequestException e) {
            throw OpenAiError.invalid(null, null, "We could not parse the JSON body of your request: " + e.problem())
                    .failure();
        }
        OpenAiRequest request = OpenAiRequest.parse(tree);
        ModelTargets.Target target = OpenAiError.resolveModel(streams.providers(), request.model());
        ChatRequest chat = target.apply(request.request());
        LiveStream ls = streams.start(target.stream(chat), principal);
        String completionId = "chatcmpl-" + ls.id();
        long created = System.currentTimeMillis() / 1000;
        streams.sessionStarted();
        try (ClientGone watcher = ex.response().watchClient(ls::clientGone)) {
            if (request.stream()) {
                stream(ex, ls, completionId, created, request, watcher);
            } else {
                complete(ex, ls, completionId, created, request, watcher);
            }
        } finally {
            ls.finish();
            streams.sessionEnded();
        }
    }

    /** {@code stream: true}: pulls the stream on this thread into the SSE response. */
    private void stream(
            Exchange ex, LiveStream ls, String completionId, long created, OpenAiRequest request, ClientGone watcher) {
        // the watcher is closed before the response's last write (resources close in reverse; closing twice is
        // harmless)
        try (OpenAiSse sse = OpenAiSse.open(
                        ex.response(),
                        ls.id(),
                        completionId,
                        created,
                        request.model(),
                        request.includeUsage(),
                        streams.time(),
                        keepAlive,
                        ls::clientGone);
                watcher) {
            if (sse.failed()) {
                ls.clientGone();
                return;
            }
            ls.pull(sse::send, ex.response());
        }
    }

    /** {@code stream: false}: accumulates the whole stream, then answers one {@code chat.completion}. */
    private void complete(
            Exchange ex, LiveStream ls, String completionId, long created, OpenAiRequest request, ClientGone watcher)
            throws IOException {
        Accumulator acc = new Accumulator();
        ls.pull(chunk -> {
            acc.add(chunk);
            return true;
        });
        watcher.close(); // before the answer: its last byte lets the client send its next request
        if (watcher.disconnected()) {
            return; // nobody to answer
        }
        CompletionResponse result;
        try {
            result = acc.result();
        } catch (InvalidToolArgumentsException e) {
            throw OpenAiError.of(
                            502,
                            OpenAiError.SERVER_ERROR,
                            "invalid_tool_arguments",
                            "the model's arguments for tool call " + e.getMessage())
                    .failure();
        }
        FinishReason reason = result.finishReason().orElse(FinishReason.ABORTED);
        if (reason == FinishReason.ERROR || reason == FinishReason.ABORTED) {
            throw OpenAiError.fromStream(
                            result.errors().isEmpty()
                                    ? Optional.empty()
                                    : Optional.of(result.errors().getLast()),
                            reason)
                    .failure();
        }
        ex.response().setHeader("X-Stream-Id", ls.id());
        Responses.json(ex.response(), 200, completion(result, ls.id(), completionId, created, request.model()));
    }

    /** The {@code chat.completion} object. */
    static ObjectNode completion(
            CompletionResponse result, String streamId, String completionId, long created, String model) {
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("id", completionId);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (result.content().isEmpty() && !result.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", result.content());
        }
        if (result.refusal().isPresent()) {
            message.put("refusal", result.refusal().get());
        } else {
            message.putNull("refusal");
        }
        if (!result.reasoning().isEmpty()) {
            message.put("reasoning_content", result.reasoning());
        }
        reasoningState(result, message);
        if (!result.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : result.toolCalls()) {
                ObjectNode c = calls.addObject();
                c.put("id", call.callId().isEmpty() ? OpenAiSse.callId(streamId, call.index()) : call.callId());
                c.put("type", "function");
                ObjectNode fn = c.putObject("function");
                fn.put("name", call.name());
                fn.put("arguments", Responses.JSON.writeValueAsString(call.arguments()));
                call.state().flatMap(ChatReasoningFields::googleExtra).ifPresent(e -> c.set("extra_content", e));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", OpenAiSse.finishReason(result.finishReason().orElse(FinishReason.STOP)));
        // no usage reported: the field is left out rather than filled with made-up zeros
        result.usage().ifPresent(u -> root.set("usage", ChatReasoningFields.usage(u)));
        return root;
    }

    /**
     * The answer's reasoning state on the message ({@link ChatReasoningFields}): Claude blocks in
     * {@code thinking_blocks}, Responses items in {@code reasoning_details}, in answer order; the first
     * Gemini signature on text or reasoning in {@code extra_content} (a tool call's is on the call).
     */
    private static void reasoningState(CompletionResponse result, ObjectNode message) {
        ArrayNode blocks = Responses.JSON.createArrayNode();
        ArrayNode details = Responses.JSON.createArrayNode();
        ObjectNode extra = null;
        for (AnswerPart part : result.parts()) {
            String text;
            Optional<ReasoningState> state;
            switch (part) {
                case AnswerPart.Reasoning r -> {
                    text = r.text();
                    state = r.state();
                }
                case AnswerPart.Text t -> {
                    text = t.text();
                    state = t.state();
                }
                case ToolCall call -> {
                    continue; // its state is on the call
                }
            }
            if (state.isEmpty()) {
                continue;
            }
            if (part instanceof AnswerPart.Reasoning) {
                ChatReasoningFields.thinkingBlock(text, state.get()).ifPresent(blocks::add);
                ChatReasoningFields.reasoningDetails(text, state.get(), details.size())
                        .forEach(details::add);
            }
            if (extra == null) {
                extra = ChatReasoningFields.googleExtra(state.get()).orElse(null);
            }
        }
        if (!blocks.isEmpty()) {
            message.set("thinking_blocks", blocks);
        }
        if (!details.isEmpty()) {
            message.set("reasoning_details", details);
        }
        if (extra != null) {
            message.set("extra_content", extra);
        }
    }
}
