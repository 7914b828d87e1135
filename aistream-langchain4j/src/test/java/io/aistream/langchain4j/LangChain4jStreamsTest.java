package io.aistream.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.Usage;
import io.aistream.stream.ChatStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A LangChain4j {@link StreamingChatModel} test double calling the handler, through {@link LangChain4jStreams}. */
@Timeout(20)
class LangChain4jStreamsTest {
    private static final ChatRequest REQUEST =
            ChatRequest.builder().messages(UserMessage.from("hi")).build();

    /** A streaming handle that records its cancel. */
    static final class RecordingHandle implements StreamingHandle {
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public boolean isCancelled() {
            return cancelled.getCount() == 0;
        }
    }

    /** A model that runs {@code script} with the handler, on the calling thread. */
    static StreamingChatModel model(Consumer<StreamingChatResponseHandler> script) {
        return new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                script.accept(handler);
            }
        };
    }

    static List<StreamChunk> drain(ChatStream stream) {
        List<StreamChunk> chunks = new ArrayList<>();
        try (stream) {
            stream.forEach(chunks::add);
        }
        return chunks;
    }

    static ChatResponse complete(AiMessage message, dev.langchain4j.model.output.FinishReason reason) {
        return ChatResponse.builder()
                .aiMessage(message)
                .tokenUsage(new TokenUsage(7, 3, 10))
                .finishReason(reason)
                .modelName("gpt-test")
                .build();
    }

    @Test
    void textThinkingUsageAndFinishReason() {
        RecordingHandle handle = new RecordingHandle();
        List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(
                model(h -> {
                    h.onPartialThinking(new PartialThinking("hmm"), new PartialThinkingContext(handle));
                    h.onPartialResponse(new PartialResponse("Hello"), new PartialResponseContext(handle));
                    h.onPartialResponse(" world"); // the older form, as some models call it
                    h.onCompleteResponse(
                            complete(AiMessage.from("Hello world"), dev.langchain4j.model.output.FinishReason.LENGTH));
                }),
                REQUEST));

        assertThat(chunks).hasSize(4);
        assertThat(chunks.get(0))
                .isEqualTo(ReasoningChunk.of("hmm").withPosition(chunks.get(0).id(), 0));
        assertThat(chunks.subList(1, 3))
                .extracting(c -> ((ContentChunk) c).delta())
                .containsExactly("Hello", " world");
        DoneChunk done = (DoneChunk) chunks.get(3);
        assertThat(done.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(done.usage()).contains(new Usage(7, 3, 10));
        assertThat(done.model()).contains("gpt-test");
        assertThat(handle.isCancelled()).isFalse();
    }

    @Test
    void partialToolCallsStreamAndCompleteOnesAddOnlyWhatIsMissing() {
        RecordingHandle handle = new RecordingHandle();
        ToolExecutionRequest weather = ToolExecutionRequest.builder()
                .id("call_1")
                .name("get_weather")
                .arguments("{\"city\":\"Paris\"}")
                .build();
        ToolExecutionRequest time = ToolExecutionRequest.builder()
                .id("call_2")
                .name("get_time")
                .arguments("{}")
                .build();
        List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(
                model(h -> {
                    PartialToolCallContext context = new PartialToolCallContext(handle);
                    h.onPartialToolCall(partial(0, "call_1", "get_weather", "{\"ci"), context);
                    h.onPartialToolCall(partial(0, "call_1", "get_weather", "ty\":\"Par"), context);
                    // the complete call has more than the fragments gave: only the rest is sent
                    h.onCompleteToolCall(new CompleteToolCall(0, weather));
                    // a call that was never streamed arrives whole, once
                    h.onCompleteToolCall(new CompleteToolCall(1, time));
                    h.onCompleteResponse(complete(
                            AiMessage.from(List.of(weather, time)),
                            dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION));
                }),
                REQUEST));

        List<ToolCallChunk> calls = chunks.stream()
                .filter(ToolCallChunk.class::isInstance)
                .map(ToolCallChunk.class::cast)
                .toList();
        assertThat(calls).hasSize(4);
        assertThat(calls.get(0).toolCall().callId()).contains("call_1");
        assertThat(calls.get(0).toolCall().name()).contains("get_weather");
        StringBuilder weatherArguments = new StringBuilder();
        calls.stream()
                .filter(c -> c.toolCall().index() == 0)
                .forEach(c -> weatherArguments.append(c.toolCall().argumentsDelta()));
        assertThat(weatherArguments).hasToString("{\"city\":\"Paris\"}");
        assertThat(calls.get(3).toolCall().index()).isOne();
        assertThat(calls.get(3).toolCall().name()).contains("get_time");
        assertThat(calls.get(3).toolCall().argumentsDelta()).isEqualTo("{}");
        assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    private static PartialToolCall partial(int index, String id, String name, String arguments) {
        return PartialToolCall.builder()
                .index(index)
                .id(id)
                .name(name)
                .partialArguments(arguments)
                .build();
    }

    @Test
    void aModelThatDoesNotStreamStillGetsItsAnswerAndToolCallsAcrossOnce() {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("c9")
                .name("lookup")
                .arguments("{\"q\":1}")
                .build();
        List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(
                model(h -> h.onCompleteResponse(complete(
                        AiMessage.builder()
                                .text("Let me look.")
                                .toolExecutionRequests(List.of(call))
                                .build(),
                        dev.langchain4j.model.output.FinishReason.STOP))),
                REQUEST));

        assertThat(chunks).hasSize(3);
        assertThat(((ContentChunk) chunks.get(0)).delta()).isEqualTo("Let me look.");
        assertThat(((ToolCallChunk) chunks.get(1)).toolCall().argumentsDelta()).isEqualTo("{\"q\":1}");
        assertThat(((DoneChunk) chunks.get(2)).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void onErrorBecomesAnErrorChunkWithAFittingCode() {
        assertThat(error(new RateLimitException("slow down")).code()).isEqualTo("rate_limited");
        assertThat(error(new HttpException(401, "bad key")).code()).isEqualTo("authentication");
        io.aistream.chunk.ChunkError overloaded = error(new HttpException(529, "overloaded"));
        assertThat(overloaded.code()).isEqualTo("upstream_overloaded");
        assertThat(overloaded.status()).hasValue(529);
        assertThat(error(new RuntimeException("x", new java.net.ConnectException("refused")))
                        .code())
                .isEqualTo("upstream_connection");
        assertThat(error(new IllegalStateException("odd")).code()).isEqualTo("upstream_error");
    }

    private static io.aistream.chunk.ChunkError error(Throwable failure) {
        List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(
                model(h -> {
                    h.onPartialResponse("partial");
                    h.onError(failure);
                }),
                REQUEST));
        assertThat(chunks).hasSize(3);
        assertThat(((DoneChunk) chunks.get(2)).finishReason()).isEqualTo(FinishReason.ERROR);
        return ((ErrorChunk) chunks.get(1)).error();
    }

    @Test
    void aModelThatThrowsInsteadOfCallingOnErrorIsReportedToo() {
        List<StreamChunk> chunks = drain(LangChain4jStreams.chatStream(
                model(h -> {
                    throw new HttpException(400, "no such model");
                }),
                REQUEST));
        assertThat(((ErrorChunk) chunks.get(0)).error().code()).isEqualTo("invalid_request");
    }

    @Test
    void aConsumerFallingBehindTheByteBoundGetsBufferOverflowAndTheCallIsCancelled() {
        RecordingHandle handle = new RecordingHandle();
        String piece = "x".repeat(1000); // ~2 KB each by ChunkFootprint's estimate
        List<StreamChunk> chunks = new ArrayList<>();
        try (ChatStream stream = ChatStream.builder(LangChain4jStreams.source(
                        model(h -> {
                            for (int i = 0; i < 100; i++) {
                                h.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(handle));
                            }
                            h.onCompleteResponse(complete(AiMessage.from("..."), null));
                        }),
                        REQUEST,
                        16 * 1024))
                .build()) {
            stream.forEach(chunks::add);
        }

        assertThat(handle.isCancelled()).as("the call was cancelled").isTrue();
        ErrorChunk overflow = (ErrorChunk) chunks.get(chunks.size() - 2);
        assertThat(overflow.error().code()).isEqualTo("buffer_overflow");
        assertThat(overflow.error().message())
                .contains(String.valueOf(16 * 1024))
                .contains("bytes");
        assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(chunks.size() - 2).isBetween(1, 10); // what fit in 16 KiB came first
    }

    @Test
    void abortCancelsTheCallThroughItsStreamingHandle() throws InterruptedException {
        RecordingHandle handle = new RecordingHandle();
        CountDownLatch more = new CountDownLatch(1);
        StreamingChatModel asyncModel = model(h -> Thread.ofVirtual().start(() -> {
            h.onPartialResponse(new PartialResponse("first"), new PartialResponseContext(handle));
            awaitQuietly(more);
            h.onPartialResponse(new PartialResponse("after the abort"), new PartialResponseContext(handle));
        }));
        ChatStream stream = LangChain4jStreams.chatStream(asyncModel, REQUEST);

        assertThat(stream.next()).get().isInstanceOf(ContentChunk.class);
        assertThat(stream.abort()).isTrue();

        assertThat(handle.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        more.countDown();
        assertThat(stream.next())
                .get()
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void aCallClosedBeforeItsFirstCallbackIsCancelledAtThatCallback() throws InterruptedException {
        RecordingHandle handle = new RecordingHandle();
        CountDownLatch firstCallback = new CountDownLatch(1);
        AtomicBoolean started = new AtomicBoolean();
        StreamingChatModel asyncModel = model(h -> {
            started.set(true);
            Thread.ofVirtual().start(() -> {
                awaitQuietly(firstCallback);
                h.onPartialResponse(new PartialResponse("too late"), new PartialResponseContext(handle));
            });
        });
        ChatStream stream = LangChain4jStreams.chatStream(asyncModel, REQUEST);
        List<StreamChunk> seen = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> stream.forEach(seen::add));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(started);

        stream.close(); // LangChain4j has not handed out the handle yet
        firstCallback.countDown();

        assertThat(handle.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        reader.join(Duration.ofSeconds(5));
        assertThat(seen).isEmpty();
    }

    @Test
    void nothingIsCalledBeforeTheFirstRead() {
        AtomicBoolean called = new AtomicBoolean();
        ChatStream stream = LangChain4jStreams.chatStream(model(h -> called.set(true)), REQUEST);
        stream.close();
        assertThat(called).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
