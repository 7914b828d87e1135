package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.REASONING;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_QUESTION;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.anthropic.errors.NotFoundException;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.Generation;

/**
 * Spring AI 2.x {@code AnthropicChatModel} (on the official anthropic-java client), built programmatically, unchanged,
 * against the Messages endpoint.
 */
@Timeout(90)
class SpringAi2AnthropicTest {
    private static final String CHAT = "/v1/messages";

    private static GatewayProcess gateway;
    private static AnthropicChatModel model;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        model = AnthropicChatModel.builder().options(options(ECHO).build()).build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "spring-ai-anthropic-2",
                "spring-ai-anthropic 2.x AnthropicChatModel",
                "Java",
                CompatResults.versionOf(AnthropicChatModel.class, "org.springframework.ai", "spring-ai-anthropic"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Spring AI 2 takes the connection settings with the options; anthropic-java appends /v1/messages itself. */
    private static AnthropicChatOptions.Builder options(String name) {
        return AnthropicChatOptions.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey("sk-ant-not-checked")
                .maxRetries(0)
                .model(name)
                .maxTokens(1024);
    }

    @Test
    void text() throws Exception {
        results.run(CHAT, "text", () -> {
            SpringAiStreams.Streamed s =
                    SpringAiStreams.stream(model, PROMPT, options(ECHO).build());
            assertThat(s.text()).contains(PROMPT);
            assertThat(s.deltas()).hasSizeGreaterThan(1);
            return "echo streamed in " + s.deltas().size() + " ChatResponses";
        });
    }

    @Test
    void tools() throws Exception {
        results.run(CHAT, "tools", () -> {
            AtomicInteger calls = new AtomicInteger();
            // ChatClient's advisor runs the tool and sends its result back itself
            SpringAiStreams.Streamed s = SpringAiStreams.streamWithTool(
                    model, TOOL_QUESTION, options(TOOLS), new SpringAiStreams.WeatherTools(calls));
            assertThat(calls).hasValue(1);
            assertThat(s.text()).contains(TOOL_RESULT);
            return TOOL + " run by the framework, its result sent back and quoted in the answer";
        });
    }

    @Test
    void thinking() throws Exception {
        results.run(CHAT, "thinking", () -> {
            List<Generation> g = SpringAiStreams.generations(
                    model,
                    PROMPT,
                    options(REASONING).maxTokens(4096).thinkingEnabled(2048).build());
            // Spring AI 2.0.1 marks each streamed thinking delta (metadata thinking=true) but does not put its
            // text in the streamed message; the answer's text follows
            List<String> seen = g.stream()
                    .map(x -> x.getOutput().getMetadata().keySet() + ":" + SpringAiStreams.text(x))
                    .toList();
            int thinking = 0;
            int lastThinking = -1;
            int firstAnswer = -1;
            for (int i = 0; i < g.size(); i++) {
                if (SpringAiStreams.isThinking(g.get(i))) {
                    thinking++;
                    lastThinking = i;
                } else if (!SpringAiStreams.text(g.get(i)).isEmpty() && firstAnswer < 0) {
                    firstAnswer = i;
                }
            }
            assertThat(thinking).as("thinking deltas in %s", seen).isPositive();
            assertThat(firstAnswer)
                    .as("the answer after the thinking in %s", seen)
                    .isGreaterThan(lastThinking);
            return thinking + " thinking deltas streamed (Spring AI 2.0.1 passes no thinking text), then the answer";
        });
    }

    @Test
    void abort() throws Exception {
        results.run(CHAT, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            SpringAiStreams.firstTextThenCancel(
                    model, LONG_PROMPT, options(ECHO).build());
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void unknownModel() throws Exception {
        results.run(CHAT, "unknown model", () -> {
            Throwable e = catchThrowable(
                    () -> SpringAiStreams.stream(model, PROMPT, options(UNKNOWN).build()));
            NotFoundException notFound = CompatScenarios.cause(e, NotFoundException.class);
            assertThat(notFound)
                    .as("anthropic-java's NotFoundException in %s", e)
                    .isNotNull();
            assertThat(notFound).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(notFound);
        });
    }
}
