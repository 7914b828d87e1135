package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.REASONING;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.chat.model.Generation;

/** Spring AI 1.x {@code AnthropicChatModel}, built programmatically, unchanged, against the Messages endpoint. */
@Timeout(90)
class SpringAiAnthropicTest {
    private static final String MESSAGES = "/v1/messages";

    private static GatewayProcess gateway;
    private static AnthropicChatModel model;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        // Spring AI appends /v1/messages to the base URL itself
        AnthropicApi api = AnthropicApi.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey("sk-ant-not-checked")
                .build();
        model = AnthropicChatModel.builder()
                .anthropicApi(api)
                .defaultOptions(options(ECHO).build())
                .build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "spring-ai-anthropic-1",
                "spring-ai-anthropic 1.x AnthropicChatModel",
                "Java",
                CompatResults.versionOf(AnthropicChatModel.class, "org.springframework.ai", "spring-ai-anthropic"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static AnthropicChatOptions.Builder options(String name) {
        return AnthropicChatOptions.builder().model(name).maxTokens(1024);
    }

    @Test
    void text() throws Exception {
        results.run(MESSAGES, "text", () -> {
            SpringAiStreams.Streamed s =
                    SpringAiStreams.stream(model, PROMPT, options(ECHO).build());
            assertThat(s.text()).contains(PROMPT);
            assertThat(s.deltas()).hasSizeGreaterThan(1);
            return "echo streamed in " + s.deltas().size() + " ChatResponses";
        });
    }

    @Test
    void tools() throws Exception {
        results.run(MESSAGES, "tools", () -> {
            AtomicInteger calls = new AtomicInteger();
            SpringAiStreams.Streamed s = SpringAiStreams.stream(
                    model,
                    CompatScenarios.TOOL_QUESTION,
                    options(TOOLS).toolCallbacks(SpringAiStreams.weather(calls)).build());
            assertThat(calls).hasValue(1);
            assertThat(s.text()).contains(TOOL_RESULT);
            return TOOL + " run by the framework, its result sent back and quoted in the answer";
        });
    }

    @Test
    void thinking() throws Exception {
        results.run(MESSAGES, "thinking", () -> {
            List<Generation> g = SpringAiStreams.generations(
                    model,
                    PROMPT,
                    options(REASONING)
                            .maxTokens(4096)
                            .thinking(AnthropicApi.ThinkingType.ENABLED, 2048)
                            .build());
            // Spring AI 1.x streams a thinking block as generations whose message metadata marks it
            List<String> kinds = g.stream()
                    .map(x -> x.getOutput().getMetadata().keySet() + ":" + SpringAiStreams.text(x))
                    .toList();
            int firstAnswer = -1;
            int lastThinking = -1;
            for (int i = 0; i < g.size(); i++) {
                boolean thinking = isThinking(g.get(i));
                if (thinking && !SpringAiStreams.text(g.get(i)).isEmpty()) {
                    lastThinking = i;
                } else if (!thinking && !SpringAiStreams.text(g.get(i)).isEmpty() && firstAnswer < 0) {
                    firstAnswer = i;
                }
            }
            assertThat(lastThinking).as("thinking text in %s", kinds).isGreaterThanOrEqualTo(0);
            assertThat(firstAnswer).as("answer after the thinking in %s", kinds).isGreaterThan(lastThinking);
            return "thinking streamed, then the answer";
        });
    }

    private static boolean isThinking(Generation g) {
        var meta = g.getOutput().getMetadata();
        return Boolean.TRUE.equals(meta.get("thinking")) || meta.containsKey("signature");
    }

    @Test
    void abort() throws Exception {
        results.run(MESSAGES, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            SpringAiStreams.firstTextThenCancel(
                    model, LONG_PROMPT, options(ECHO).build());
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void unknownModel() throws Exception {
        results.run(MESSAGES, "unknown model", () -> {
            Throwable e = catchThrowable(
                    () -> SpringAiStreams.stream(model, PROMPT, options(UNKNOWN).build()));
            // Spring AI 1.x's Anthropic client reports HTTP errors as its own RuntimeException carrying the
            // status and the body
            assertThat(e).isNotNull();
            Throwable reported = CompatScenarios.cause(e, RuntimeException.class);
            assertThat(reported.getMessage()).contains("404").contains(UNKNOWN);
            return CompatScenarios.describe(reported);
        });
    }
}
