package io.aistream.server.anthropic;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.InvalidToolArgumentsException;
import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.http.Access;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ApiKeys;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.ModelTargets;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/messages} — Anthropic's Messages API in front of every provider — and
 * {@code POST /v1/messages/count_tokens}, its token estimate.
 *
 * <p>{@code model} is a name of the provider map (a provider, an alias or a chain: its own default
 * model) or {@code provider/model} ({@link ModelTargets}); an unknown one is 404
 * {@code not_found_error}. The body is read by {@link MessagesRequest}; {@code stream: true} answers
 * Anthropic's event stream ({@link MessagesEvents}), otherwise the stream is accumulated on the server
 * and answered as one {@code message} ({@link MessageObject}). Either way the stream is a
 * non-resumable one of {@link StreamService} (backpressure {@code block}): a client that goes away
 * aborts the upstream at once. The response carries {@code X-Stream-Id}, so
 * {@code DELETE /v1/streams/{id}} can abort it (the stream then ends with an {@code error} event of
 * type {@code api_error}; a non-streaming answer is 503 {@code api_error}).
 *
 * <p>{@code count_tokens} reads the same body ({@code max_tokens} optional), resolves the model the
 * same way and answers {@code {"input_tokens": n}} from {@link TokenEstimate}, without calling a
 * provider.
 *
 * <p>Keys: {@code x-api-key: <key>}, as Anthropic's clients send it, or {@code Authorization: Bearer
 * <key>}; {@code anthropic-version} and {@code anthropic-beta} are accepted and not required. Every
 * error is in Anthropic's shape ({@link AnthropicError#WRITER}), the 401 included. Thread-safe.
 */
public final class MessagesEndpoint implements Routes {
    /** {@code x-api-key} or bearer keys; Anthropic's 401 ({@link AnthropicError#from} types it). */
    static final Access ACCESS = new Access(
            true,
            MessagesEndpoint::presentedKey,
            ApiError.of(
                    401,
                    "unauthorized",
                    "invalid x-api-key: send x-api-key: <key> (or Authorization: Bearer <key>) with a key of"
                            + " this gateway"));

    private final StreamService streams;
    private final int maxBodyBytes;
    private final Duration keepAlive;

    /**
     * @param streams      the gateway's stream service
     * @param maxBodyBytes the largest request body read (413 {@code request_too_large} beyond)
     * @param keepAlive    how long a stream may stay silent before a {@code ping} event
     */
    public MessagesEndpoint(StreamService streams, int maxBodyBytes, Duration keepAlive) {
        this.streams = streams;
        this.maxBodyBytes = maxBodyBytes;
        this.keepAlive = keepAlive;
    }

    /** The messages and count_tokens routes: every error in Anthropic's shape, authentication's 401 included. */
    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/messages", ACCESS, AnthropicError.WRITER, this::serve),
                new Route("POST", "/v1/messages/count_tokens", ACCESS, AnthropicError.WRITER, this::countTokens));
    }

    /** The key of {@code x-api-key} (stripped, when not blank), else of {@code Authorization: Bearer}. */
    static Optional<String> presentedKey(HttpRequest request) {
        Optional<String> apiKey = request.header("x-api-key").map(String::strip).filter(k -> !k.isEmpty());
        return apiKey.isPresent() ? apiKey : ApiKeys.bearerToken(request);
    }

    private MessagesRequest read(Exchange ex, MessagesRequest.Kind kind) throws IOException {
        byte[] body = ex.readJsonBytes(maxBodyBytes);
        JsonNode tree;
        try {
            tree = ChatRequestJson.readTree(body);
        } catch (InvalidRequestException e) {
            throw AnthropicError.invalid("The request body is not valid JSON: " + e.problem())
                    .failure();
        }
        return MessagesRequest.parse(tree, kind);
    }

    private void countTokens(Exchange ex) throws IOException {
        MessagesRequest request = read(ex, MessagesRequest.Kind.COUNT_TOKENS);
        resolve(request.model());
        ObjectNode answer = Responses.JSON.createObjectNode();
        answer.put("input_tokens", TokenEstimate.of(request.request()));
        Responses.json(ex.response(), 200, answer);
    }

    private void serve(Exchange ex) throws IOException {
        String principal = ex.principal();
        MessagesRequest request = read(ex, MessagesRequest.Kind.MESSAGES);
        ModelTargets.Target target = resolve(request.model());
        ChatRequest chat = target.apply(request.request());
        long inputEstimate = TokenEstimate.of(chat);
        LiveStream ls = streams.start(target.stream(chat), principal);
        streams.sessionStarted();
        try (ClientGone watcher = ex.response().watchClient(ls::clientGone)) {
            if (request.stream()) {
                stream(ex, ls, request.model(), inputEstimate, watcher);
            } else {
                complete(ex, ls, request.model(), inputEstimate, watcher);
            }
        } finally {
            ls.finish();
            streams.sessionEnded();
        }
    }

    /**
     * {@code model} as a provider-map name, else as {@code provider/model}.
     *
     * @throws AnthropicError.Failure 404 {@code not_found_error} listing what exists
     */
    private ModelTargets.Target resolve(String model) {
        try {
            return ModelTargets.resolve(streams.providers(), model);
        } catch (ModelTargets.UnknownModelException e) {
            throw new AnthropicError(404, AnthropicError.NOT_FOUND, "model: " + e.describe(), Map.of()).failure();
        }
    }

    /** {@code stream: true}: pulls the stream on this thread into the event stream. */
    private void stream(Exchange ex, LiveStream ls, String model, long inputEstimate, ClientGone watcher) {
        // the watcher is closed before the response's last write (resources close in reverse)
        try (MessagesEvents events = MessagesEvents.open(
                        ex.response(), ls.id(), model, inputEstimate, streams.time(), keepAlive, ls::clientGone);
                watcher) {
            if (events.failed()) {
                ls.clientGone();
                return;
            }
            ls.pull(events::send, ex.response());
        }
    }

    /** {@code stream: false}: accumulates the whole stream, then answers one {@code message}. */
    private void complete(Exchange ex, LiveStream ls, String model, long inputEstimate, ClientGone watcher)
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
            throw AnthropicError.of(502, "the model's arguments for tool call " + e.getMessage())
                    .failure();
        }
        FinishReason reason = result.finishReason().orElse(FinishReason.ABORTED);
        if (reason == FinishReason.ERROR || reason == FinishReason.ABORTED) {
            throw AnthropicError.fromStream(
                            result.errors().isEmpty()
                                    ? Optional.empty()
                                    : Optional.of(result.errors().getLast()),
                            reason)
                    .failure();
        }
        ex.response().setHeader("X-Stream-Id", ls.id());
        Responses.json(ex.response(), 200, MessageObject.of(result, ls.id(), model, inputEstimate));
    }
}
