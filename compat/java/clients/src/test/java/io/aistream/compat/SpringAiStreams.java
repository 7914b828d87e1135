package io.aistream.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** Spring AI's streaming {@code ChatModel} as the tests use it, for any provider's chat model. */
final class SpringAiStreams {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SpringAiStreams() {}

    /** The tool's input, as Spring AI derives the JSON schema from it. */
    record WeatherRequest(String city) {}

    /** A {@code get_weather} tool that counts its calls and answers {@link CompatScenarios#TOOL_RESULT}. */
    static ToolCallback weather(AtomicInteger calls) {
        return FunctionToolCallback.builder(CompatScenarios.TOOL, (WeatherRequest request) -> {
                    calls.incrementAndGet();
                    return CompatScenarios.TOOL_RESULT;
                })
                .description(CompatScenarios.TOOL_DESCRIPTION)
                .inputType(WeatherRequest.class)
                .build();
    }

    /** What a stream delivered: the text deltas, in order. */
    record Streamed(List<String> deltas) {
        String text() {
            return String.join("", deltas);
        }
    }

    static Streamed stream(ChatModel model, String user, ChatOptions options) {
        List<String> deltas = generations(model, user, options).stream()
                .map(SpringAiStreams::text)
                .filter(t -> !t.isEmpty())
                .toList();
        return new Streamed(deltas);
    }

    /**
     * Every generation of the stream, in order. An HTTP error of the WebClient (Spring AI 1.x) is rethrown as
     * it is, with its response body added as a suppressed exception so that a failing row shows it.
     */
    static List<Generation> generations(ChatModel model, String user, ChatOptions options) {
        try {
            return Objects.requireNonNull(model.stream(new Prompt(user, options))
                    .flatMapIterable(ChatResponse::getResults)
                    .collectList()
                    .block(WAIT));
        } catch (RuntimeException e) {
            WebClientResponseException http = CompatScenarios.cause(e, WebClientResponseException.class);
            if (http != null) {
                e.addSuppressed(new CompatResults.Note("response body: " + http.getResponseBodyAsString()));
            }
            throw e;
        }
    }

    /** Takes the first text of the stream; Reactor then cancels the subscription, which is how Spring AI aborts. */
    static String firstTextThenCancel(ChatModel model, String user, ChatOptions options) {
        String first = model.stream(new Prompt(user, options))
                .flatMapIterable(ChatResponse::getResults)
                .map(SpringAiStreams::text)
                .filter(t -> !t.isEmpty())
                .next()
                .block(WAIT);
        assertThat(first).isNotEmpty();
        return first;
    }

    static String text(Generation g) {
        String t = g.getOutput().getText();
        return t == null ? "" : t;
    }
}
