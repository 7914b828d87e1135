package io.aistream.server.openai;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
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
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.ModelTargets;
import io.aistream.server.streams.StreamRequest;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * that goes away aborts the upstream at once — unless the request says {@code background: true}, below. The response carries {@code X-Stream-Id}, so
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
 * <p><b>Background mode.</b> {@code background: true} (with {@code store} not false) starts the stream
 * resumable: it runs on whether or not a client is connected, within the memory budget and resume limits of
 * any resumable stream. A keeper ({@link BackgroundResponses}), the tap of its producer, sees every chunk
 * and keeps its final object (failed and cancelled ones included). {@code stream: false} answers the {@code queued} object at once;
 * {@code GET /v1/responses/{id}} answers {@code in_progress} while it runs, the kept object once it ended.
 * {@code stream: true}, and {@code GET /v1/responses/{id}?stream=true[&starting_after=N]}, follow the
 * stream's resume buffer from its start through a fresh {@link ResponsesEvents} — deterministic, so the
 * sequence numbers are those of the first answer — leaving out the events up to N: a client that dropped
 * resumes without gaps or duplicates. {@code POST /v1/responses/{id}/cancel} aborts it and answers it
 * {@code cancelled}.
 *
 * <p>Bearer keys and every error in OpenAI's shape, as the Chat endpoint ({@link OpenAiEndpoint#ACCESS},
 * {@link OpenAiError#WRITER}). Thread-safe.
 */
public final class ResponsesEndpoint implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(ResponsesEndpoint.class);
    /**
     * How long a request waits for a background response's keeper once its stream has ended (or was asked to
     * stop): the keeper only turns the last chunks into the final object, so this is a safety bound, not a wait.
     */
    private static final Duration RESULT_WAIT = Duration.ofSeconds(10);

    private final StreamService streams;
    private final int maxBodyBytes;
    private final Duration keepAlive;
    private final ResponseStore stored;
    private final BackgroundResponses running;

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
        this.running = new BackgroundResponses((entry, response) -> stored.put(entry.owner, response, entry.input));
    }

    /**
     * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}},
     * {@code POST /v1/responses/{id}/cancel}: bearer keys, every error in
     * OpenAI's shape, authentication's 401 included.
     */
    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/responses", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::serve),
                new Route("GET", "/v1/responses/{id}", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::retrieve),
                new Route("POST", "/v1/responses/{id}/cancel", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::cancel),
                new Route("DELETE", "/v1/responses/{id}", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::delete));
    }

    /** Forgets every kept response (the gateway stops). */
    public void close() {
        stored.close();
    }

    /**
     * {@code GET /v1/responses/{id}}: the kept {@code response} object, as it was answered; a running background
     * response's live state ({@code in_progress}); with {@code ?stream=true}, a background response's events.
     */
    private void retrieve(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        String principal = ex.principal();
        Optional<BackgroundResponses.Entry> run = running.get(principal, id);
        if (ex.request().queryParameter("stream").map("true"::equals).orElse(false)) {
            streamAgain(ex, id, run, startingAfter(ex));
            return;
        }
        if (run.isPresent()) {
            BackgroundResponses.Entry e = run.get();
            if (!finished(e)) {
                Responses.json(ex.response(), 200, inProgress(e.head, ResponseObject.IN_PROGRESS));
                return;
            }
            Optional<ObjectNode> result = awaitResult(e);
            if (result.isPresent()) {
                Responses.json(ex.response(), 200, result.get());
                return;
            }
        }
        ResponseStore.Stored response = stored.response(principal, id).orElseThrow(() -> notFound(id));
        Responses.json(ex.response(), 200, response.response());
    }

    /** {@code starting_after}: a sequence number (-1 when absent: every event). */
    private static long startingAfter(Exchange ex) {
        Optional<String> text = ex.request().queryParameter("starting_after");
        if (text.isEmpty()) {
            return -1;
        }
        try {
            long n = Long.parseLong(text.get());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw OpenAiError.invalid(
                        "starting_after",
                        "invalid_value",
                        "starting_after must be the sequence_number of an event (a whole number from 0); found '"
                                + text.get() + "'")
                .failure();
    }

    /**
     * {@code GET /v1/responses/{id}?stream=true[&starting_after=N]}: the background response's events after
     * sequence number N (all without it) — replayed from its resume buffer through a fresh encoder, then live — to
     * its end. When the buffer no longer holds the stream from its start but the response is kept, only its
     * terminal event is sent (numbered N + 1).
     */
    private void streamAgain(Exchange ex, String id, Optional<BackgroundResponses.Entry> run, long after)
            throws IOException {
        String principal = ex.principal();
        Optional<ResponseStore.Stored> kept = run.isPresent() ? Optional.empty() : stored.response(principal, id);
        ResponseObject head;
        if (run.isPresent()) {
            head = run.get().head;
        } else if (kept.isPresent()) {
            if (!kept.get().response().path("background").asBoolean(false)) {
                throw OpenAiError.invalid(
                                "stream",
                                "invalid_value",
                                "Response '" + id + "' was not created with background: true, so its events are "
                                        + "not kept; retrieve it without stream=true.")
                        .failure();
            }
            head = ResponseObject.of(kept.get().response());
        } else {
            throw notFound(id);
        }
        String streamId = id.substring("resp_".length());
        if (streams.store().lookup(streamId) instanceof ResumeStore.Lookup.Found(StreamBuffer buffer)
                && buffer.owner().equals(principal)
                && buffer.oldestSeq() == 0) {
            follow(ex, buffer, head, after);
            return;
        }
        Optional<ObjectNode> result = run.isPresent()
                ? (finished(run.get()) ? awaitResult(run.get()) : Optional.empty())
                : kept.map(ResponseStore.Stored::response);
        if (result.isEmpty()) {
            throw new OpenAiError(
                            410,
                            "The start of response '" + id + "''s stream is no longer kept, so its events cannot be "
                                    + "replayed; retrieve it without stream=true once it has ended.",
                            OpenAiError.INVALID_REQUEST,
                            Optional.empty(),
                            Optional.of("chunks_evicted"),
                            Map.of())
                    .failure();
        }
        terminalOnly(ex, streamId, result.get(), after + 1);
    }

    /** One SSE event, the terminal one of {@code response}, numbered {@code sequence}. */
    private static void terminalOnly(Exchange ex, String streamId, ObjectNode response, long sequence)
            throws IOException {
        String type = switch (response.path("status").asString()) {
            case ResponseObject.COMPLETED -> "response.completed";
            case ResponseObject.INCOMPLETE -> "response.incomplete";
            default -> "response.failed";
        };
        ObjectNode event = Responses.JSON.createObjectNode();
        event.put("type", type).put("sequence_number", sequence).set("response", response);
        ex.response().eventStream(streamId);
        try (var out = ex.response().body()) {
            out.write(("event: " + type + "\ndata: " + Responses.JSON.writeValueAsString(event) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * {@code POST /v1/responses/{id}/cancel}: stops a running background response and answers it with status
     * {@code cancelled} (or as it ended, if it ended first). A cancelled one answers again as it is (OpenAI's
     * cancel is idempotent); any other kept response is a 400; an unknown one a 404.
     */
    private void cancel(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        String principal = ex.principal();
        Optional<BackgroundResponses.Entry> run = running.get(principal, id);
        if (run.isPresent()) {
            BackgroundResponses.Entry e = run.get();
            e.cancel();
            // counted as the client's own stop, like DELETE /v1/streams/{id} (the registered abort causes)
            streams.live(e.streamId).filter(ls -> ls.owner().equals(principal)).ifPresent(ls -> ls.abort("delete"));
            ObjectNode result = awaitResult(e).orElseGet(() -> inProgress(e.head, ResponseObject.IN_PROGRESS));
            Responses.json(ex.response(), 200, result);
            return;
        }
        ObjectNode response = stored.response(principal, id)
                .map(ResponseStore.Stored::response)
                .orElseThrow(() -> notFound(id));
        String status = response.path("status").asString();
        if (ResponseObject.CANCELLED.equals(status)) {
            Responses.json(ex.response(), 200, response);
            return;
        }
        throw OpenAiError.invalid(
                        null,
                        null,
                        response.path("background").asBoolean(false)
                                ? "Cannot cancel response '" + id + "': it has already ended (status " + status + ")."
                                : "Only responses created with background: true can be cancelled; '" + id
                                        + "' was not.")
                .failure();
    }

    /** Whether a background response's stream has ended (its keeper is then about to keep it). */
    private boolean finished(BackgroundResponses.Entry e) {
        return !(streams.store().lookup(e.streamId) instanceof ResumeStore.Lookup.Found(StreamBuffer buffer))
                || buffer.finished();
    }

    private static Optional<ObjectNode> awaitResult(BackgroundResponses.Entry e) {
        try {
            return e.awaitResult(RESULT_WAIT);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static ObjectNode inProgress(ResponseObject head, String status) {
        return head.build(
                status, Responses.JSON.createArrayNode(), Optional.empty(), Optional.empty(), Optional.empty());
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
        StreamRequest streamRequest = target.stream(chat);
        if (request.background()) {
            streamRequest = new StreamRequest(
                    streamRequest.provider(),
                    streamRequest.request(),
                    streamRequest.backpressure(),
                    streamRequest.bufferCapacity(),
                    true,
                    streamRequest.timeouts());
        }
        if (request.background()) {
            // the keeper is built with the stream's id, before its producer starts: it sees every chunk
            AtomicReference<BackgroundResponses.Entry> entry = new AtomicReference<>();
            LiveStream ls = streams.start(streamRequest, principal, id -> {
                entry.set(new BackgroundResponses.Entry(principal, head(id, request), request.input(), id));
                return running.keeper(entry.get());
            });
            background(ex, ls, entry.get().head, request);
            return;
        }
        LiveStream ls = streams.start(streamRequest, principal);
        ResponseObject head = head(ls.id(), request);
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

    /** The response object's fixed part for the stream {@code streamId}. */
    private static ResponseObject head(String streamId, ResponsesRequest request) {
        return new ResponseObject(
                "resp_" + streamId, System.currentTimeMillis() / 1000, request.model(), request.echo());
    }

    /**
     * {@code background: true}: the stream runs resumable, with a keeper that keeps its final object; the client
     * gets the {@code queued} object at once, or (streamed) the events, which it may leave without stopping them.
     */
    private void background(Exchange ex, LiveStream ls, ResponseObject head, ResponsesRequest request)
            throws IOException {
        StreamBuffer buffer = ls.buffer().orElseThrow();
        if (request.stream()) {
            follow(ex, buffer, head, -1);
            return;
        }
        ex.response().setHeader("X-Stream-Id", ls.id());
        Responses.json(ex.response(), 200, inProgress(head, ResponseObject.QUEUED));
    }

    /**
     * Streams a background response's events from its buffer (kept chunks, then live), leaving out those up to
     * sequence number {@code after}. A client that leaves stops only its own follower, never the stream.
     */
    private void follow(Exchange ex, StreamBuffer buffer, ResponseObject head, long after) {
        streams.sessionStarted();
        StreamBuffer.Follower follower = buffer.follow(-1);
        try (ResponsesSse sse = ResponsesSse.open(
                        ex.response(),
                        buffer.streamId(),
                        head,
                        streams.time(),
                        keepAlive,
                        follower::close,
                        response -> {},
                        after);
                ClientGone watcher = ex.response().watchClient(follower::close)) {
            if (sse.failed()) {
                return;
            }
            for (Optional<StreamChunk> next = follower.next(); next.isPresent(); next = follower.next()) {
                if (!sse.send(next.get())) {
                    return;
                }
            }
            if (watcher.disconnected()) {
                LOG.debug("stream {} Responses follower's client went away", buffer.streamId());
            }
        } catch (ChunksEvictedException e) {
            LOG.debug("stream {} Responses follower lost evicted chunks: {}", buffer.streamId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            follower.close();
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
            ls.pull(sse::send, ex.response());
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
