package io.aistream.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LangChain4j's real {@link OpenAiStreamingChatModel} (its JDK HTTP client) against a raw-socket
 * upstream serving recorded OpenAI Chat Completions transcripts, through {@link LangChain4jStreams}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiStreamingChatModelOverSocketTest {
    private static final Path FIXTURES = Path.of(System.getProperty("aistream.fixtures"), "openai-chat");

    private static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name));
    }

    private static OpenAiStreamingChatModel model(FakeUpstream upstream) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(upstream.baseUri() + "/v1")
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .build();
    }

    private static ChatRequest request(String user) {
        return ChatRequest.builder().messages(UserMessage.from(user)).build();
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

            List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(model(upstream), request("Hi")));

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
            assertThat(upstream.awaitRequest(0).bodyText()).containsPattern("\"stream\"\\s*:\\s*true");
        }
    }

    @Test
    void aToolCallStreamsAsDeltasWithCompleteArguments() throws IOException {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse().send(fixture("tool-call.sse")));

            List<StreamChunk> chunks =
                    drain(LangChain4jStreams.chatStream(model(upstream), request("Weather in Paris?")));

            assertThat(chunks).noneMatch(ErrorChunk.class::isInstance);
            List<ToolCallChunk> calls = chunks.stream()
                    .filter(ToolCallChunk.class::isInstance)
                    .map(ToolCallChunk.class::cast)
                    .toList();
            assertThat(calls).isNotEmpty().allMatch(c -> c.toolCall().index() == 0);
            assertThat(calls.getFirst().toolCall().callId()).contains("call_Vq8m2XcN4bT7yRk1LpZs9HdW");
            assertThat(calls.getFirst().toolCall().name()).contains("get_weather");
            assertThat(calls.stream().skip(1)).allMatch(c -> c.toolCall().name().isEmpty());
            String arguments =
                    calls.stream().map(c -> c.toolCall().argumentsDelta()).reduce("", String::concat);
            assertThat(arguments).startsWith("{\"location\":\"").endsWith("}");
            assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        }
    }

    @Test
    void abortClosesTheUpstreamConnection() throws Exception {
        List<String> events = List.of(fixture("text.sse").split("\n\n"));
        String firstEvents = String.join("\n\n", events.subList(0, 2)) + "\n\n";
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse().send(firstEvents).stall());
            ChatStream stream = LangChain4jStreams.chatStream(model(upstream), request("Hi"));

            StreamChunk first = stream.next().orElseThrow();
            assertThat(first)
                    .isInstanceOfSatisfying(
                            ContentChunk.class, c -> assertThat(c.delta()).isEqualTo("Hello"));
            UpstreamConnection connection = upstream.awaitConnection(0);
            connection.stalled().get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);

            long abortedAt = System.nanoTime();
            assertThat(stream.abort()).isTrue();
            long closedAt = connection.awaitClosedByClient(); // fails after the guard timeout
            System.out.printf(
                    "langchain4j: abort() to upstream connection closed %.1f ms%n", (closedAt - abortedAt) / 1e6);
            assertThat(stream.next())
                    .get()
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        }
    }
}
