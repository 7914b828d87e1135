package io.aistream.server.openai;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.config.ResponseStoreConfig;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.memory.MemoryBudget;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.ModelTargets;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/responses} — OpenAI's Responses API in front of every provider — with
 * {@code GET} and {@code DELETE /v1/responses/{id}} for the responses it keeps.
 *
 * <p>{@code model} is resolved as by the Chat Completions endpoint ({@link ModelTargets}; unknown: 404
 * {@code model_not_found}). The body is read by {@link ResponsesRequest}; {@code stream: true} answers the
 * typed SSE events of {@link ResponsesEvents}, otherwise the stream is run to its end on the server and
 * answered as one {@code response} object ({@link ResponseObject}) built by the same code, so both agree.
 * A non-streamed stream that fails is an HTTP error in OpenAI's shape (as for Chat Completions: 429, 502,
 * 503, 504); an incomplete one (token limit, content filter) is a 200 with {@code status: "incomplete"}.
 *
 * <p>The stream is a non-resumable one of {@link StreamService} (backpressure {@code block}): a client
 * that goes away aborts the upstream at once. The response carries {@code X-Stream-Id}, so
 * {@code DELETE /v1/streams/{id}} aborts it (a streamed answer then ends with {@code error} and
 * {@code response.failed}, code {@code stream_aborted}). The response id is {@code resp_} + the stream id.
 *
 * <p><b>Kept responses.</b> Unless the request says {@code store: false} (OpenAI's default is to store), a
 * response that completes (or ends {@code incomplete}) is kept in the {@link ResponseStore} of this endpoint,
 * under the caller's principal, before its last event or its body is written: its {@code resp_…} id, its
 * input items as read and its output items ({@code msg_…}, {@code fc_…}, {@code rs_…}). A later request of the
 * same key may then send {@code {"type":"item_reference","id":…}} for one of those items (as
 * {@code @ai-sdk/openai} does for the assistant's earlier text and reasoning), or {@code previous_response_id}
 * to continue the conversation, and may {@code GET} or {@code DELETE /v1/responses/{id}}. Another key's ids are
 * unknown. Failed and aborted responses are not kept (the client has no complete items to refer to). The
 * store is bounded in bytes (in all and per key, oldest evicted first), its entries expire, and its bytes
 * are counted in the gateway's memory budget (pool {@code responses}); see
 * {@link io.aistream.server.config.ResponseStoreConfig}. It lives in this process's memory: a restart, or
 * another node behind a load balancer, does not know the ids.
 *
 * <p>Bearer keys and every error in OpenAI's shape, as the Chat endpoint ({@link OpenAiEndpoint#ACCESS},
 * {@link OpenAiError#WRITER}). Thread-safe.
 */
public final class ResponsesEndpoint implements Routes {
    private final StreamService streams;
    private final int maxBodyBytes;
    private final Duration keepAlive;
    private final ResponseStore stored;

    /**
     * @param streams        the stream service (its time source runs the store's expiry, its memory budget
     *                       counts the store's bytes)
     * @param maxBodyBytes   largest request body
     * @param keepAlive      silence after which a streamed answer gets a keep-alive comment
     * @param store          what is kept, for how long
     * @param keysConfigured whether API keys are configured (the per-key share of the store is derived from it)
     */
    public ResponsesEndpoint(
            StreamService streams,
            int maxBodyBytes,
            Duration keepAlive,
            ResponseStoreConfig store,
            boolean keysConfigured) {
        this.streams = streams;
        this.maxBodyBytes = maxBodyBytes;
        this.keepAlive = keepAlive;
        MemoryBudget budget = streams.budget();
        long max = store.resolveMax(budget.limit());
        this.stored = new ResponseStore(
                max,
                store.resolvePerKey(max, keysConfigured),
                store.ttl(),
                streams.time(),
                delta -> budget.add(MemoryBudget.Pool.RESPONSES, delta));
    }

    /**
     * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}}: bearer keys, every error in
     * OpenAI's shape, authentication's 401 included.
     */
    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/responses", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::serve),
                new Route("GET", "/v1/responses/{id}", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::retrieve),
                new Route("DELETE", "/v1/responses/{id}", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::delete));
    }

    /** Forgets every kept response (the gateway stops). */
    public void close() {
        stored.close();
    }

    /** {@code GET /v1/responses/{id}}: the kept {@code response} object, as it was answered. */
    private void retrieve(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        ResponseStore.Stored response = stored.response(ex.principal(), id).orElseThrow(() -> notFound(id));
        Responses.json(ex.response(), 200, response.response());
    }

    /** {@code DELETE /v1/responses/{id}}: forgets a kept response, answering OpenAI's deletion object. */
    private void delete(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        if (!stored.delete(ex.principal(), id)) {
            throw notFound(id);
        }
        ObjectNode deleted = Responses.JSON.createObjectNode();
        deleted.put("id", id).put("object", "response.deleted").put("deleted", true);
        Responses.json(ex.response(), 200, deleted);
    }

    private static OpenAiError.Failure notFound(String id) {
        return new OpenAiError(
                        404,
                        "Response with id '" + id + "' not found: it is unknown or expired on this gateway, or was "
                                + "created with store: false.",
                        OpenAiError.INVALID_REQUEST,
                        Optional.empty(),
                        Optional.empty(),
                        Map.of())
                .failure();
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
        ResponsesRequest request = ResponsesRequest.parse(tree, lookup(principal));
        ModelTargets.Target target = OpenAiError.resolveModel(streams.providers(), request.model());
        ChatRequest chat = target.apply(request.request());
        LiveStream ls = streams.start(target.stream(chat), principal);
        ResponseObject head = new ResponseObject(
                "resp_" + ls.id(), System.currentTimeMillis() / 1000, request.model(), request.echo());
        Consumer<ObjectNode> keep =
                request.store() ? response -> stored.put(principal, response, request.input()) : r -> {};
        streams.sessionStarted();
        try (ClientGone watcher = ex.response().watchClient(ls::clientGone)) {
            if (request.stream()) {
                stream(ex, ls, head, watcher, keep);
            } else {
                complete(ex, ls, head, watcher, keep);
            }
        } finally {
            ls.finish();
            streams.sessionEnded();
        }
    }

    /** The caller's kept responses and items, for {@code previous_response_id} and {@code item_reference}. */
    private ResponsesRequest.StoredItems lookup(String principal) {
        return new ResponsesRequest.StoredItems() {
            @Override
            public Optional<List<JsonNode>> conversation(String responseId) {
                return stored.response(principal, responseId).map(ResponseStore.Stored::conversation);
            }

            @Override
            public Optional<JsonNode> item(String itemId) {
                return stored.item(principal, itemId);
            }
        };
    }

    /** {@code stream: true}: pulls the stream on this thread into the SSE response. */
    private void stream(
            Exchange ex, LiveStream ls, ResponseObject head, ClientGone watcher, Consumer<ObjectNode> keep) {
        // the watcher is closed before the response's last write (resources close in reverse)
        try (ResponsesSse sse = ResponsesSse.open(
                        ex.response(), ls.id(), head, streams.time(), keepAlive, ls::clientGone, keep);
                watcher) {
            if (sse.failed()) {
                ls.clientGone();
                return;
            }
            ls.pull(sse::send);
        }
    }

    /** {@code stream: false}: runs the whole stream, then answers the {@code response} object. */
    private void complete(
            Exchange ex, LiveStream ls, ResponseObject head, ClientGone watcher, Consumer<ObjectNode> keep)
            throws IOException {
        ResponsesEvents events = new ResponsesEvents(head, ls.id(), null, keep);
        ChunkError[] lastError = {null};
        FinishReason[] reason = {FinishReason.ABORTED};
        ls.pull(chunk -> {
            if (chunk instanceof ErrorChunk e) {
                lastError[0] = e.error();
            } else if (chunk instanceof DoneChunk d) {
                reason[0] = d.finishReason();
            }
            events.on(chunk);
            return true;
        });
        watcher.close(); // before the answer: its last byte lets the client send its next request
        if (watcher.disconnected()) {
            return; // nobody to answer
        }
        Optional<ObjectNode> response = events.response();
        if (response.isEmpty() || reason[0] == FinishReason.ERROR || reason[0] == FinishReason.ABORTED) {
            throw OpenAiError.fromStream(Optional.ofNullable(lastError[0]), reason[0])
                    .failure();
        }
        ex.response().setHeader("X-Stream-Id", ls.id());
        Responses.json(ex.response(), 200, response.get());
    }
}
