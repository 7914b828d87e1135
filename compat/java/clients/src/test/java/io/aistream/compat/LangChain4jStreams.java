package io.aistream.compat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.aistream.testing.CompatScenarios;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** LangChain4j's streaming handler turned into a blocking call, as the tests need it; the same for every provider. */
final class LangChain4jStreams {
    static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name(CompatScenarios.TOOL)
            .description(CompatScenarios.TOOL_DESCRIPTION)
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city")
                    .required("city")
                    .build())
            .build();

    private LangChain4jStreams() {}

    /** What one streamed answer delivered. */
    record Streamed(ChatResponse response, int textDeltas, String thinking) {}

    /** Streams {@code request}, waits for the complete response, rethrows what {@code onError} got. */
    static Streamed stream(StreamingChatModel model, ChatRequest request) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicInteger deltas = new AtomicInteger();
        StringBuffer thinking = new StringBuffer();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                deltas.incrementAndGet();
            }

            @Override
            public void onPartialThinking(PartialThinking partial) {
                thinking.append(partial.text());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return new Streamed(done.get(60, TimeUnit.SECONDS), deltas.get(), thinking.toString());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Streams {@code request} and cancels through the handler's streaming handle at the first text; returns
     * once it cancelled (what the gateway makes of it is the caller's to check).
     */
    static void streamAndCancel(StreamingChatModel model, ChatRequest request) throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                context.streamingHandle().cancel();
                cancelled.countDown();
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                failed.completeExceptionally(new AssertionError("the stream completed before it was cancelled"));
            }

            @Override
            public void onError(Throwable error) {
                failed.completeExceptionally(error);
            }
        });
        while (!cancelled.await(50, TimeUnit.MILLISECONDS)) {
            if (failed.isDone()) {
                failed.get();
            }
        }
    }
}
