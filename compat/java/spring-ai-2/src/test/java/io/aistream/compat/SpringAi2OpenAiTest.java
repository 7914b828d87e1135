package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_QUESTION;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.errors.NotFoundException;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2.x {@code OpenAiChatModel} (on the official openai-java client), built programmatically, unchanged,
 * against Chat Completions.
 */
@Timeout(90)
class SpringAi2OpenAiTest {
    private static final String CHAT = "/v1/chat/completions";

    private static GatewayProcess gateway;
    private static OpenAiChatModel model;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        model = OpenAiChatModel.builder().options(options(ECHO).build()).build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "spring-ai-openai-2",
                "spring-ai-openai 2.x OpenAiChatModel",
                "Java",
                CompatResults.versionOf(OpenAiChatModel.class, "org.springframework.ai", "spring-ai-openai"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Spring AI 2 takes the connection settings with the options; openai-java's base URL includes /v1. */
    private static OpenAiChatOptions.Builder options(String name) {
        return OpenAiChatOptions.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey("sk-not-checked")
                .maxRetries(0)
                .model(name);
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
            assertThat(notFound).as("openai-java's NotFoundException in %s", e).isNotNull();
            assertThat(notFound).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(notFound);
        });
    }
}
