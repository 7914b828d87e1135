package io.aistream.server.aisdk;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.Access;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Vercel AI SDK endpoints, so that {@code useChat} from {@code @ai-sdk/react} (ai 5.x and 6.x)
 * talks to the gateway with its {@code DefaultChatTransport}.
 *
 * <ul>
 *   <li>{@code POST /v1/ui/chat} — body: see {@link UiChatRequest}. Answers the UI message stream
 *       protocol v1 ({@link UiStreamEncoder}, {@link UiStreamSession}) with {@code X-Stream-Id}.
 *       Resumable by default: a client that goes away leaves the stream running (to be resumed);
 *       with {@code "resumable": false} a disconnect stops the upstream at once.</li>
 *   <li>{@code GET /v1/ui/chat/{chatId}/stream} — what {@code useChat({resume: true})} calls: replays
 *       the chat's active stream from its start (the SDK rebuilds the message from the replay),
 *       then follows it live. 204 when the chat has no active stream (none started, finished,
 *       not resumable, or another key's); 410 if its start is no longer kept.</li>
 *   <li>{@code DELETE /v1/ui/chat/{chatId}/stream} — stops the chat's active stream (the
 *       {@code useChat} stop button only drops the connection, which a resumable stream survives):
 *       200 {@code {"chatId","streamId","aborted":true}}, 204 when nothing is active. The stream's
 *       own {@code DELETE /v1/streams/{id}} (id from {@code X-Stream-Id} or the {@code start}
 *       chunk's {@code messageMetadata.streamId}) does the same.</li>
 * </ul>
 *
 * <p>A new answer in a chat supersedes the chat's previous stream: if that one still runs it is
 * aborted (nobody could resume it any more).
 *
 * <p>Every route takes {@code Authorization: Bearer <key>} and answers errors in the native shape.
 * Thread-safe.
 */
public final class UiChatEndpoints implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(UiChatEndpoints.class);
    static final int MAX_CHATS = 10_000;

    private final StreamService streams;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final Duration keepAlive;
    private final UiChats chats;

    public UiChatEndpoints(StreamService streams, GatewayMetrics metrics, int maxBodyBytes, Duration keepAlive) {
        this.streams = streams;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.keepAlive = keepAlive;
        this.chats = new UiChats(MAX_CHATS, streams.cluster().chats());
    }

    /** The routes of these endpoints, all authenticated. */
    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/ui/chat", Access.BEARER, this::start),
                new Route("GET", "/v1/ui/chat/{chatId}/stream", Access.BEARER, this::resume),
                new Route("DELETE", "/v1/ui/chat/{chatId}/stream", Access.BEARER, this::stop));
    }

    /** {@code POST /v1/ui/chat}. */
    void start(Exchange ex) throws IOException {
        UiChatRequest request = ex.readJsonBody(
                maxBodyBytes,
                tree -> UiChatRequest.parse(
                        tree,
                        ex.request().queryParameter("provider"),
                        ex.request().queryParameter("model")));
        LiveStream ls = streams.start(request.stream(), ex.principal());
        UiChats.Entry entry = new UiChats.Entry(
                ls.id(),
                request.messageId().orElse(UiStreamEncoder.messageIdFor(ls.id())),
                ls.provider(),
                ls.model(),
                request.options());
        if (ls.resumable()) {
            request.chatId().ifPresent(chatId -> supersede(ex.principal(), chatId, entry));
            follow(ex, ls.buffer().orElseThrow(), entry);
            return;
        }
        UiStreamEncoder encoder = encoder(entry);
        streams.sessionStarted();
        // the watcher is closed first (resources close in reverse): see HttpResponse#watchClient
        try (UiStreamSession session =
                        UiStreamSession.open(ex.response(), ls.id(), streams.time(), keepAlive, ls::clientGone);
                ClientGone watcher = ex.response().watchClient(ls::clientGone)) {
            if (!session.send(encoder.start())) {
                ls.clientGone();
                return;
            }
            switch (ls.pull(chunk -> session.send(encoder.next(chunk)), ex.response())) {
                case DONE -> {
                    session.sendDone();
                    return;
                }
                case CLIENT_GONE -> {
                    return;
                }
                case ENDED -> {}
            }
            if (watcher.disconnected()) {
                LOG.debug("stream {} client went away", ls.id());
            }
        } finally {
            ls.finish();
            streams.sessionEnded();
        }
    }

    /** Makes {@code entry} the chat's stream and aborts the chat's earlier stream, on whichever node it runs. */
    private void supersede(String principal, String chatId, UiChats.Entry entry) {
        try {
            Optional<UiChats.Entry> previous = chats.put(principal, chatId, entry);
            if (previous.isPresent()
                    && !previous.get().streamId().equals(entry.streamId())
                    && streams.abort(previous.get().streamId(), principal, "superseded")
                            == StreamService.AbortOutcome.ABORTED) {
                LOG.info("stream {} superseded by {} in chat {}", previous.get().streamId(), entry.streamId(), chatId);
            }
        } catch (StoreUnavailableException e) {
            // the stream itself runs on; only its chat's resume and stop by chat id are lost
            LOG.warn("chat {} not recorded for stream {}: {}", chatId, entry.streamId(), e.getMessage());
        }
    }

    /** {@code GET /v1/ui/chat/{chatId}/stream}. */
    void resume(Exchange ex) throws IOException {
        String chatId = ex.pathParam("chatId");
        Optional<UiChats.Entry> entry = chats.get(ex.principal(), chatId);
        if (entry.isEmpty()) {
            metrics.resumeRequest("ui_none");
            Responses.noContent(ex.response());
            return;
        }
        UiChats.Entry e = entry.get();
        if (streams.store().lookup(e.streamId()) instanceof ResumeStore.Lookup.Found(StreamBuffer buffer)
                && buffer.owner().equals(ex.principal())
                && !buffer.finished()) {
            if (buffer.oldestSeq() > 0) {
                metrics.resumeRequest("gone");
                throw ApiError.of(
                                410,
                                "chunks_evicted",
                                "the start of chat " + chatId + "'s stream " + e.streamId()
                                        + " is no longer kept, so its message cannot be replayed")
                        .failure();
            }
            metrics.resumeRequest("ok");
            follow(ex, buffer, e);
            return;
        }
        chats.remove(ex.principal(), chatId, e);
        metrics.resumeRequest("ui_none");
        Responses.noContent(ex.response());
    }

    /** {@code DELETE /v1/ui/chat/{chatId}/stream}. */
    void stop(Exchange ex) throws IOException {
        String chatId = ex.pathParam("chatId");
        Optional<UiChats.Entry> entry = chats.get(ex.principal(), chatId);
        if (entry.isEmpty()
                || streams.abort(entry.get().streamId(), ex.principal(), "delete")
                        != StreamService.AbortOutcome.ABORTED) {
            Responses.noContent(ex.response());
            return;
        }
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("chatId", chatId);
        body.put("streamId", entry.get().streamId());
        body.put("aborted", true);
        Responses.json(ex.response(), 200, body);
    }

    private static UiStreamEncoder encoder(UiChats.Entry e) {
        return new UiStreamEncoder(e.streamId(), e.messageId(), e.provider(), e.model(), e.options());
    }

    /** Sends a resumable stream's UI chunks from its start, following it live. */
    private void follow(Exchange ex, StreamBuffer buffer, UiChats.Entry entry) {
        UiStreamEncoder encoder = encoder(entry);
        streams.sessionStarted();
        StreamBuffer.Follower follower = buffer.follow(-1);
        try (UiStreamSession session = UiStreamSession.open(
                        ex.response(), buffer.streamId(), streams.time(), keepAlive, follower::close);
                ClientGone watcher = ex.response().watchClient(follower::close)) {
            if (!session.send(encoder.start())) {
                return;
            }
            boolean sawDone = false;
            try {
                for (Optional<StreamChunk> next = follower.next(); next.isPresent(); next = follower.next()) {
                    StreamChunk chunk = next.get();
                    if (!session.send(encoder.next(chunk))) {
                        return;
                    }
                    sawDone = chunk instanceof DoneChunk;
                }
            } catch (ChunksEvictedException e) {
                LOG.debug("stream {} UI follower lost evicted chunks: {}", buffer.streamId(), e.getMessage());
                session.send(List.of(UiStreamEncoder.errorChunk(
                        "this client fell too far behind the stream; " + "chunks it had not read were discarded")));
                return;
            }
            if ((sawDone || buffer.finished()) && !watcher.disconnected()) {
                session.sendDone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            follower.close();
            streams.sessionEnded();
        }
    }
}
