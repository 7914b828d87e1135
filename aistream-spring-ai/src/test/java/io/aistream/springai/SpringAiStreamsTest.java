package io.aistream.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.Usage;
import io.aistream.stream.ChatStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Hand-made Spring AI response streams through {@link SpringAiStreams}: mapping, demand, cancel, errors. */
@Timeout(20)
class SpringAiStreamsTest {

    static ChatResponse text(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    static ChatResponse finish(String reason) {
        return new ChatResponse(List.of(new Generation(
                new AssistantMessage(""),
                ChatGenerationMetadata.builder().finishReason(reason).build())));
    }

    static ChatResponse usage(int prompt, int completion) {
        return new ChatResponse(
                List.of(),
                ChatResponseMetadata.builder()
                        .model("gpt-test")
                        .usage(new DefaultUsage(prompt, completion, prompt + completion))
                        .build());
    }

    static List<StreamChunk> drain(ChatStream stream) {
        List<StreamChunk> chunks = new ArrayList<>();
        try (stream) {
            stream.forEach(chunks::add);
        }
        return chunks;
    }

    static String content(List<StreamChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream().filter(ContentChunk.class::isInstance).forEach(c -> text.append(((ContentChunk) c).delta()));
        return text.toString();
    }

    static DoneChunk done(List<StreamChunk> chunks) {
        assertThat(chunks).last().isInstanceOf(DoneChunk.class);
        return (DoneChunk) chunks.getLast();
    }

    @Test
    void textUsageAndFinishReasonBecomeContentAndDone() {
        List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(
                Flux.just(text("Hello"), text(""), text(" world"), finish("STOP"), usage(9, 2))));

        assertThat(chunks).hasSize(3);
        assertThat(content(chunks)).isEqualTo("Hello world");
        DoneChunk done = done(chunks);
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.usage()).contains(new Usage(9, 2, 11));
        assertThat(done.model()).contains("gpt-test");
        assertThat(chunks).extracting(StreamChunk::seq).containsExactly(0L, 1L, 2L);
    }

    @Test
    void finishReasonsOfTheProvidersMapToAistreams() {
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(text("a"), finish("LENGTH")))))
                        .finishReason())
                .isEqualTo(FinishReason.LENGTH);
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(text("a"), finish("max_tokens")))))
                        .finishReason())
                .isEqualTo(FinishReason.LENGTH);
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(finish("CONTENT_FILTER")))))
                        .finishReason())
                .isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(finish("end_turn")))))
                        .finishReason())
                .isEqualTo(FinishReason.STOP);
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(finish("something_new")))))
                        .finishReason())
                .isEqualTo(FinishReason.OTHER);
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(text("no reason given")))))
                        .finishReason())
                .isEqualTo(FinishReason.STOP);
    }

    @Test
    void toolCallsOnTheAssistantMessageAreSentOnceWithCompleteArguments() {
        AssistantMessage.ToolCall weather =
                new AssistantMessage.ToolCall("call_1", "function", "get_weather", "{\"city\":\"Paris\"}");
        AssistantMessage.ToolCall time = new AssistantMessage.ToolCall("call_2", "function", "get_time", "{}");
        ChatResponse calls = new ChatResponse(List.of(new Generation(
                AssistantMessage.builder()
                        .content("")
                        .toolCalls(List.of(weather, time))
                        .build(),
                ChatGenerationMetadata.builder().finishReason("TOOL_CALLS").build())));
        // some models repeat the assembled calls in a later response: not sent twice
        ChatResponse repeated = new ChatResponse(List.of(new Generation(AssistantMessage.builder()
                .content("")
                .toolCalls(List.of(weather))
                .build())));

        List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(Flux.just(calls, repeated)));

        List<ToolCallChunk> tools = chunks.stream()
                .filter(ToolCallChunk.class::isInstance)
                .map(ToolCallChunk.class::cast)
                .toList();
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).toolCall().index()).isZero();
        assertThat(tools.get(0).toolCall().callId()).contains("call_1");
        assertThat(tools.get(0).toolCall().name()).contains("get_weather");
        assertThat(tools.get(0).toolCall().argumentsDelta()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(tools.get(1).toolCall().index()).isOne();
        assertThat(tools.get(1).toolCall().name()).contains("get_time");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void aStopAfterToolCallsIsReportedAsToolCalls() {
        ChatResponse calls = new ChatResponse(List.of(new Generation(
                AssistantMessage.builder()
                        .content("")
                        .toolCalls(List.of(new AssistantMessage.ToolCall("c", "function", "f", "{}")))
                        .build(),
                ChatGenerationMetadata.builder().finishReason("STOP").build())));
        assertThat(done(drain(SpringAiStreams.chatStream(Flux.just(calls)))).finishReason())
                .isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void reasoningFromMetadataOrThinkingGenerationsBecomesReasoningChunks() {
        ChatResponse openAiStyle = new ChatResponse(List.of(new Generation(AssistantMessage.builder()
                .content("")
                .properties(Map.of(ChatResponseMapper.REASONING_CONTENT, "let me think"))
                .build())));
        ChatResponse anthropicStyle = new ChatResponse(List.of(new Generation(AssistantMessage.builder()
                .content(" more")
                .properties(Map.of(ChatResponseMapper.THINKING, true))
                .build())));

        List<StreamChunk> chunks =
                drain(SpringAiStreams.chatStream(Flux.just(openAiStyle, anthropicStyle, text("Answer"))));

        assertThat(chunks)
                .filteredOn(ReasoningChunk.class::isInstance)
                .extracting(c -> ((ReasoningChunk) c).delta())
                .containsExactly("let me think", " more");
        assertThat(content(chunks)).isEqualTo("Answer");
    }

    @Test
    void anErrorSignalBecomesAnErrorChunkAndDoneError() {
        List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(
                Flux.concat(Flux.just(text("partial")), Flux.error(new IllegalStateException("boom")))));

        assertThat(content(chunks)).isEqualTo("partial");
        ErrorChunk error = (ErrorChunk) chunks.get(chunks.size() - 2);
        assertThat(error.error().code()).isEqualTo("upstream_error");
        assertThat(error.error().message()).contains("IllegalStateException: boom");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void httpStatusesOfSpringsWebClientMapToCodes() {
        WebClientResponseException tooMany = WebClientResponseException.create(
                429, "Too Many Requests", HttpHeaders.EMPTY, "{}".getBytes(StandardCharsets.UTF_8), null);
        WebClientResponseException unauthorized =
                WebClientResponseException.create(401, "Unauthorized", HttpHeaders.EMPTY, new byte[0], null);
        WebClientResponseException overloaded =
                WebClientResponseException.create(529, "Overloaded", HttpHeaders.EMPTY, new byte[0], null);

        ErrorChunk rateLimited = firstError(Flux.error(new RuntimeException("wrapped", tooMany)));
        assertThat(rateLimited.error().code()).isEqualTo("rate_limited");
        assertThat(rateLimited.error().retryable()).isTrue();
        assertThat(rateLimited.error().status()).hasValue(429);
        assertThat(firstError(Flux.error(unauthorized)).error().code()).isEqualTo("authentication");
        assertThat(firstError(Flux.error(overloaded)).error().code()).isEqualTo("upstream_overloaded");
        assertThat(firstError(Flux.error(new java.net.ConnectException("refused")))
                        .error()
                        .code())
                .isEqualTo("upstream_connection");
    }

    private static ErrorChunk firstError(Flux<ChatResponse> responses) {
        return drain(SpringAiStreams.chatStream(responses)).stream()
                .filter(ErrorChunk.class::isInstance)
                .map(ErrorChunk.class::cast)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void demandIsBoundedAndFollowsTheConsumer() {
        AtomicLong requested = new AtomicLong();
        AtomicBoolean subscribed = new AtomicBoolean();
        AtomicInteger produced = new AtomicInteger();
        Flux<ChatResponse> endless = Flux.<ChatResponse>generate(sink -> {
                    sink.next(text("t" + produced.incrementAndGet()));
                })
                .doOnSubscribe(s -> subscribed.set(true))
                .doOnRequest(requested::addAndGet);

        try (ChatStream stream = SpringAiStreams.chatStream(endless)) {
            assertThat(subscribed)
                    .as("nothing is subscribed before the first read")
                    .isFalse();
            for (int i = 1; i <= 50; i++) {
                StreamChunk chunk = stream.next().orElseThrow();
                assertThat(((ContentChunk) chunk).delta()).isEqualTo("t" + i);
                // one response per read, at most one more asked for ahead
                assertThat(requested.get()).isBetween((long) i, (long) i + 1);
                assertThat(produced.get()).isLessThanOrEqualTo(i + 1);
            }
        }
    }

    @Test
    void responsesWithoutChunksDoNotStallTheConsumer() {
        List<StreamChunk> chunks = drain(SpringAiStreams.chatStream(
                Flux.just(usage(1, 1), text("a"), usage(2, 2), usage(3, 3), text("b"), finish("STOP"))));
        assertThat(content(chunks)).isEqualTo("ab");
        assertThat(done(chunks).usage()).contains(new Usage(3, 3, 6));
    }

    @Test
    void abortCancelsTheSubscriptionAndEndsWithDoneAborted() throws InterruptedException {
        Sinks.Many<ChatResponse> upstream = Sinks.many().unicast().onBackpressureBuffer();
        CountDownLatch cancelled = new CountDownLatch(1);
        ChatStream stream = SpringAiStreams.chatStream(upstream.asFlux().doOnCancel(cancelled::countDown));
        upstream.tryEmitNext(text("first"));

        assertThat(stream.next()).get().isInstanceOf(ContentChunk.class);
        // the consumer now waits for more, in another thread, while someone else aborts
        List<StreamChunk> rest = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> stream.forEach(rest::add));
        assertThat(stream.abort()).isTrue();

        assertThat(cancelled.await(5, TimeUnit.SECONDS))
                .as("the Flux saw the cancel")
                .isTrue();
        reader.join(Duration.ofSeconds(5));
        assertThat(rest)
                .singleElement()
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
    }

    @Test
    void closeBeforeTheFirstReadNeverSubscribes() {
        AtomicBoolean subscribed = new AtomicBoolean();
        ChatStream stream = SpringAiStreams.chatStream(Flux.just(text("x")).doOnSubscribe(s -> subscribed.set(true)));
        stream.close();
        assertThat(stream.next()).isEqualTo(Optional.empty());
        assertThat(subscribed).isFalse();
    }

    @Test
    void closeCancelsARunningSubscription() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Sinks.Many<ChatResponse> upstream = Sinks.many().unicast().onBackpressureBuffer();
        ChatStream stream = SpringAiStreams.chatStream(upstream.asFlux().doOnCancel(() -> cancelled.set(true)));
        upstream.tryEmitNext(text("first"));
        assertThat(stream.next()).isPresent();
        stream.close();
        await().atMost(Duration.ofSeconds(5)).untilTrue(cancelled);
    }
}
