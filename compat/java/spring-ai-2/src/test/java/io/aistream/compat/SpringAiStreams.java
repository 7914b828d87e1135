package io.aistream.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.testing.CompatScenarios;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Spring AI 2's streaming {@code ChatModel} as the tests use it, for any provider's chat model. */
final class SpringAiStreams {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SpringAiStreams() {}

    /** The {@code get_weather} tool as Spring AI users write one ({@code @Tool}); counts its calls. */
    static final class WeatherTools {
        private final AtomicInteger calls;

        WeatherTools(AtomicInteger calls) {
            this.calls = calls;
        }

        @Tool(name = CompatScenarios.TOOL, description = CompatScenarios.TOOL_DESCRIPTION)
        String weather(@ToolParam(description = "the city") String city) {
            calls.incrementAndGet();
            return CompatScenarios.TOOL_RESULT;
        }
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

    /** Every generation of the stream, in order. */
    static List<Generation> generations(ChatModel model, String user, ChatOptions options) {
        return Objects.requireNonNull(model.stream(new Prompt(user, options))
                .flatMapIterable(ChatResponse::getResults)
                .collectList()
                .block(WAIT));
    }

    /**
     * One tool round trip through {@code ChatClient}: in Spring AI 2 its tool-calling advisor (not the
     * {@code ChatModel}) runs the tool and sends the result back.
     */
    static Streamed streamWithTool(ChatModel model, String user, ChatOptions.Builder<?> options, Object tools) {
        List<String> deltas = ChatClient.create(model).prompt().user(user).options(options).tools(tools).stream()
                .content()
                .filter(t -> !t.isEmpty())
                .collectList()
                .block(WAIT);
        return new Streamed(Objects.requireNonNull(deltas));
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

    /** Whether the generation carries thinking (Spring AI marks it in the message metadata). */
    static boolean isThinking(Generation g) {
        var meta = g.getOutput().getMetadata();
        return Boolean.TRUE.equals(meta.get("thinking")) || meta.containsKey("signature");
    }

    static String text(Generation g) {
        String t = g.getOutput().getText();
        return t == null ? "" : t;
    }
}
