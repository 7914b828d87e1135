package io.aistream.server.nativeapi;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.Access;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.StreamRequest;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The native stream endpoints.
 *
 * <ul>
 *   <li>{@code POST /v1/stream} — starts a stream; answers native SSE with {@code X-Stream-Id}.</li>
 *   <li>{@code GET /v1/streams/{id}} — resumes a resumable stream after {@code Last-Event-ID} (or
 *       {@code ?after=<seq>}; the header wins when both are given): replays exactly the kept chunks
 *       after it, follows live, ends with {@code [DONE]}. 404 unknown id, 204 finished and expired,
 *       410 when chunks after that seq were already evicted, 409 for a stream that is not resumable,
 *       400 ({@code invalid_request}) for a value that is not a whole number ≥ -1, and 400
 *       ({@code invalid_position}, naming the position and the last seq) for a position past the
 *       stream's last seq — past its {@code done} when finished, past what it has produced so far when
 *       live.</li>
 *   <li>{@code DELETE /v1/streams/{id}} — aborts: the upstream is cancelled and every listener gets
 *       done({@code aborted}) then {@code [DONE]}. 200 {@code {"id":…,"aborted":true}} when this call
 *       stopped a running stream, 200 {@code {"id":…,"aborted":false}} when it had already ended;
 *       404 for an unknown id.</li>
 * </ul>
 *
 * <p>A stream belongs to the API key that started it: another key gets 404 for it. Every route takes
 * {@code Authorization: Bearer <key>} and answers errors in the native shape. Thread-safe.
 */
public final class StreamEndpoints implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoints.class);

    private final StreamService streams;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final long retryMillis;
    private final Duration keepAlive;

    public StreamEndpoints(
            StreamService streams, GatewayMetrics metrics, int maxBodyBytes, long retryMillis, Duration keepAlive) {
        this.streams = streams;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.retryMillis = retryMillis;
        this.keepAlive = keepAlive;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/stream", Access.BEARER, this::start),
                new Route("GET", "/v1/streams/{id}", Access.BEARER, this::resume),
                new Route("DELETE", "/v1/streams/{id}", Access.BEARER, this::abort));
    }

    /** {@code POST /v1/stream}. */
    void start(Exchange ex) throws IOException {
        StreamRequest request = ex.readJsonBody(maxBodyBytes, StreamRequest::parse);
        LiveStream ls = streams.start(request, ex.principal());
        if (ls.resumable()) {
            follow(ex, ls.buffer().orElseThrow(), -1);
            return;
        }
        streams.sessionStarted();
        // the watcher is closed first (resources close in reverse): see HttpResponse#watchClient
        try (SseSession session = SseSession.open(
                        ex.response(), ls.id(), retryMillis, streams.time(), keepAlive, ls::clientGone);
                ClientGone watcher = ex.response().watchClient(ls::clientGone)) {
            pull(ls, session, ex.response());
            if (watcher.disconnected()) {
                LOG.debug("stream {} client went away", ls.id());
            }
        } finally {
            ls.finish();
            streams.sessionEnded();
        }
    }

    /** {@code GET /v1/streams/{id}}. */
    void resume(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        Position position = position(ex.request());
        long after = position.after();
        if (streams.runningNotResumable(id, ex.principal())) {
            metrics.resumeRequest("not_resumable");
            throw ApiError.of(409, "not_resumable", "stream " + id + " was not started with \"resumable\": true")
                    .failure();
        }
        switch (streams.store().lookup(id)) {
            case ResumeStore.Lookup.Found(StreamBuffer buffer)
            when buffer.owner().equals(ex.principal()) -> {
                long last = buffer.lastSeq();
                if (after > last) {
                    metrics.resumeRequest("invalid_position");
                    throw beyondLast(position, id, last, buffer.finished()).failure();
                }
                long oldest = buffer.oldestSeq();
                // after <= last < Long.MAX_VALUE here, so after + 1 cannot overflow
                if (after + 1 < oldest) {
                    metrics.resumeRequest("gone");
                    throw ApiError.of(
                                    410,
                                    "chunks_evicted",
                                    "stream " + id + " no longer keeps the chunks after " + after
                                            + "; the oldest kept is " + oldest)
                            .failure();
                }
                metrics.resumeRequest("ok");
                follow(ex, buffer, after);
            }
            case ResumeStore.Lookup.Expired(String owner)
            when owner.equals(ex.principal()) -> {
                metrics.resumeRequest("expired");
                Responses.noContent(ex.response());
            }
            default -> {
                metrics.resumeRequest("not_found");
                throw notFound(id);
            }
        }
    }

    /** {@code DELETE /v1/streams/{id}}. */
    void abort(Exchange ex) throws IOException {
        String id = ex.pathParam("id");
        StreamService.AbortOutcome outcome = streams.abort(id, ex.principal(), "delete");
        boolean aborted = outcome == StreamService.AbortOutcome.ABORTED;
        if (outcome == StreamService.AbortOutcome.UNKNOWN) {
            boolean known = switch (streams.store().lookup(id)) {
                case ResumeStore.Lookup.Found(StreamBuffer buffer) ->
                    buffer.owner().equals(ex.principal());
                case ResumeStore.Lookup.Expired(String owner) -> owner.equals(ex.principal());
                case ResumeStore.Lookup.Unknown u -> false;
            };
            if (!known) {
                throw notFound(id);
            }
        }
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("id", id);
        body.put("aborted", aborted);
        Responses.json(ex.response(), 200, body);
    }

    private void follow(Exchange ex, StreamBuffer buffer, long after) {
        streams.sessionStarted();
        StreamBuffer.Follower follower = buffer.follow(after);
        try (SseSession session = SseSession.open(
                        ex.response(), buffer.streamId(), retryMillis, streams.time(), keepAlive, follower::close);
                ClientGone watcher = ex.response().watchClient(follower::close)) {
            boolean sawDone = false;
            for (Optional<StreamChunk> next = follower.next(); next.isPresent(); next = follower.next()) {
                StreamChunk chunk = next.get();
                if (!session.send(chunk)) {
                    return;
                }
                sawDone = chunk instanceof DoneChunk;
            }
            if ((sawDone || buffer.finished()) && !watcher.disconnected()) {
                session.sendDone();
            }
        } catch (ChunksEvictedException e) {
            // this follower fell behind the kept window; a reconnect gets 410
            LOG.debug("stream {} follower lost evicted chunks: {}", buffer.streamId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            follower.close();
            streams.sessionEnded();
        }
    }

    /** Where a resume starts: the seq the client has, and which field said so. */
    private record Position(long after, String field) {}

    private static Position position(HttpRequest request) {
        Optional<String> header = request.header("Last-Event-ID");
        if (header.isPresent() && !header.get().isBlank()) {
            return new Position(seq(header.get().strip(), "Last-Event-ID"), "Last-Event-ID");
        }
        Optional<String> after = request.queryParameter("after");
        if (after.isPresent()) {
            return new Position(seq(after.get().strip(), "after"), "after");
        }
        return new Position(-1, "after");
    }

    /**
     * The 400 for a position past what the stream has produced: a client cannot have received a
     * chunk that does not exist, so answering with a silent {@code [DONE]} (or waiting) would hide its bug.
     */
    private static ApiError beyondLast(Position position, String id, long last, boolean finished) {
        return new ApiError(
                400,
                "invalid_position",
                position.field() + " " + position.after() + " is past the last chunk of stream " + id
                        + ": its last seq is " + last + (finished ? " (its done)" : " so far"),
                Optional.of(position.field()),
                Map.of());
    }

    /**
     * Pulls a non-resumable stream on the calling (request) thread into the session. Returns when the
     * stream ended, or the client went away (the stream is then closed at once).
     */
    private void pull(LiveStream ls, SseSession session, HttpResponse response) {
        try {
            if (ls.pull(session::send, response) == LiveStream.Pulled.DONE) {
                session.sendDone();
            }
        } finally {
            ls.finish();
        }
    }

    private static long seq(String value, String field) {
        try {
            long seq = Long.parseLong(value);
            if (seq >= -1) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid(field, field + " must be the seq of the last chunk received (a whole number ≥ -1)")
                .failure();
    }

    private static ApiError.Failure notFound(String id) {
        return ApiError.of(404, "stream_not_found", "no stream " + id).failure();
    }
}
