package io.aistream.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.Usage;
import io.aistream.stream.ChatStream;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import reactor.core.publisher.Flux;

/**
 * Spring AI's real {@link OpenAiChatModel} (WebClient over Reactor Netty) against a raw-socket
 * upstream serving recorded OpenAI Chat Completions transcripts; the stream it returns goes through
 * {@link SpringAiStreams} unchanged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiChatModelOverSocketTest {
    private static final Path FIXTURES = Path.of(System.getProperty("aistream.fixtures"), "openai-chat");

    private static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name));
    }

    private static Flux<ChatResponse> stream(FakeUpstream upstream, String user) {
        OpenAiApi api = OpenAiApi.builder()
                .baseUrl(upstream.baseUri().toString())
                .apiKey("test-key")
                .build();
        OpenAiChatModel model = OpenAiChatModel.builder()
                .openAiApi(api)
                .defaultOptions(OpenAiChatOptions.builder()
                        .model("gpt-4o-mini")
                        .streamUsage(true)
                        // the application runs its tools itself: Spring AI hands the calls over
                        .internalToolExecutionEnabled(false)
                        .build())
                .build();
        return model.stream(new Prompt(user));
    }

    private static List<StreamChunk> drain(ChatStream stream) {
        List<StreamChunk> chunks = new ArrayList<>();
        try (stream) {
            stream.forEach(chunks::add);
        }
        return chunks;
    }

    @Test
    void textUsageAndFinishReason() throws IOException {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse().send(fixture("text.sse")));

            List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(stream(upstream, "Hi")));

            assertThat(chunks).noneMatch(ErrorChunk.class::isInstance);
            assertThat(chunks.stream()
                            .filter(ContentChunk.class::isInstance)
                            .map(c -> ((ContentChunk) c).delta())
                            .reduce("", String::concat))
                    .isEqualTo("Hello! How can I help you today?");
            DoneChunk done = (DoneChunk) chunks.getLast();
            assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(done.usage()).contains(new Usage(9, 9, 18));
            assertThat(done.model()).contains("gpt-4o-mini-2024-07-18");
            assertThat(upstream.awaitRequest(0).bodyText()).contains("\"stream\":true");
        }
    }

    @Test
    void aToolCallArrivesOnceWithCompleteArguments() throws IOException {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse().send(fixture("tool-call.sse")));

            List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(stream(upstream, "Weather in Paris?")));

            assertThat(chunks).noneMatch(ErrorChunk.class::isInstance);
            List<ToolCallChunk> calls = chunks.stream()
                    .filter(ToolCallChunk.class::isInstance)
                    .map(ToolCallChunk.class::cast)
                    .toList();
            assertThat(calls).singleElement().satisfies(call -> {
                assertThat(call.toolCall().callId()).contains("call_Vq8m2XcN4bT7yRk1LpZs9HdW");
                assertThat(call.toolCall().name()).contains("get_weather");
                assertThat(call.toolCall().argumentsDelta())
                        .startsWith("{\"location\":\"")
                        .endsWith("}");
            });
            assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        }
    }

    /**
     * Spring AI 1.1's OpenAI stream cuts the SSE events into windows ({@code windowUntil}, to merge tool-call
     * fragments); Reactor cancels a window operator's source only at its next event after the cancel. So
     * an abort while the upstream is silent closes the connection when the next event arrives (one token
     * later with a live model): the test has the upstream send one more event after the abort, then hold.
     * That the cancel reached Spring AI's Flux at once is asserted on its own.
     */
    @Test
    void abortCancelsTheFluxAndClosesTheUpstreamConnection() throws Exception {
        List<String> events = List.of(fixture("text.sse").split("\n\n"));
        // three events: with streamUsage Spring AI holds each response back until the next one arrives
        String firstEvents = String.join("\n\n", events.subList(0, 3)) + "\n\n";
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse()
                    .send(firstEvents)
                    .stall()
                    .send(events.get(3) + "\n\n")
                    .await(new CompletableFuture<Void>())); // held until the client closes (or the guard)
            CountDownLatch fluxCancelled = new CountDownLatch(1);
            ChatStream stream =
                    SpringAiStreams.chatStream(stream(upstream, "Hi").doOnCancel(fluxCancelled::countDown));

            StreamChunk first = stream.next().orElseThrow();
            assertThat(first)
                    .isInstanceOfSatisfying(
                            ContentChunk.class, c -> assertThat(c.delta()).isEqualTo("Hello"));
            UpstreamConnection connection = upstream.awaitConnection(0);
            connection.stalled().get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);

            long abortedAt = System.nanoTime();
            assertThat(stream.abort()).isTrue();
            assertThat(fluxCancelled.await(upstream.guard().toNanos(), TimeUnit.NANOSECONDS))
                    .as("abort() cancels the subscription to Spring AI's Flux")
                    .isTrue();
            long cancelledAt = System.nanoTime();
            connection.release(); // the upstream's next event
            long closedAt = connection.awaitClosedByClient(); // fails after the guard timeout
            System.out.printf(
                    "spring-ai: abort() to Flux cancelled %.1f ms; to upstream connection closed %.1f ms"
                            + " (after the next upstream event)%n",
                    (cancelledAt - abortedAt) / 1e6, (closedAt - abortedAt) / 1e6);
            assertThat(stream.next())
                    .get()
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        }
    }
}
