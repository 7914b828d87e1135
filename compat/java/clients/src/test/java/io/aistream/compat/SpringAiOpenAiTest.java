package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** Spring AI 1.x {@code OpenAiChatModel}, built programmatically, unchanged, against Chat Completions. */
@Timeout(90)
class SpringAiOpenAiTest {
    private static final String CHAT = "/v1/chat/completions";

    private static GatewayProcess gateway;
    private static OpenAiChatModel model;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        // Spring AI appends /v1/chat/completions to the base URL itself
        OpenAiApi api = OpenAiApi.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey("sk-not-checked")
                .build();
        model = OpenAiChatModel.builder()
                .openAiApi(api)
                .defaultOptions(OpenAiChatOptions.builder().model(ECHO).build())
                .build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "spring-ai-openai-1",
                "spring-ai-openai 1.x OpenAiChatModel",
                "Java",
                CompatResults.versionOf(OpenAiChatModel.class, "org.springframework.ai", "spring-ai-openai"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static OpenAiChatOptions.Builder options(String name) {
        return OpenAiChatOptions.builder().model(name);
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
            // the framework runs the tool and sends its result back itself (tool message with `name`)
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
            WebClientResponseException http = CompatScenarios.cause(e, WebClientResponseException.class);
            assertThat(http).as("a WebClientResponseException in %s", e).isNotNull();
            assertThat(http.getStatusCode().value()).isEqualTo(404);
            assertThat(http.getResponseBodyAsString()).contains(UNKNOWN);
            return CompatScenarios.describe(http) + " (the body names the model)";
        });
    }
}
