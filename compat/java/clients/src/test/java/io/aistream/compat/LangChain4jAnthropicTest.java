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

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LangChain4j's {@code AnthropicStreamingChatModel}, unchanged, against the gateway's Messages endpoint. */
@Timeout(90)
class LangChain4jAnthropicTest {
    private static final String CHAT = "/v1/messages";

    private static GatewayProcess gateway;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "langchain4j-anthropic",
                "langchain4j-anthropic AnthropicStreamingChatModel",
                "Java",
                CompatResults.versionOf(AnthropicStreamingChatModel.class, "dev.langchain4j", "langchain4j-anthropic"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder builder(String name) {
        // the client's default base URL is Anthropic's, with /v1/
        return AnthropicStreamingChatModel.builder()
                .baseUrl(gateway.baseUrl() + "/v1/")
                .apiKey("sk-ant-not-checked")
                .modelName(name)
                .maxTokens(1024);
    }

    private static AnthropicStreamingChatModel model(String name) {
        return builder(name).build();
    }

    @Test
    void text() throws Exception {
        results.run(CHAT, "text", () -> {
            LangChain4jStreams.Streamed s = LangChain4jStreams.stream(
                    model(ECHO),
                    ChatRequest.builder().messages(UserMessage.from(PROMPT)).build());
            assertThat(s.response().aiMessage().text()).contains(PROMPT);
            assertThat(s.textDeltas()).isGreaterThan(1);
            return "echo streamed in " + s.textDeltas() + " partial responses";
        });
    }

    @Test
    void tools() throws Exception {
        results.run(CHAT, "tools", () -> {
            AnthropicStreamingChatModel model = model(TOOLS);
            UserMessage user = UserMessage.from(CompatScenarios.TOOL_QUESTION);
            AiMessage called = LangChain4jStreams.stream(
                            model,
                            ChatRequest.builder()
                                    .messages(user)
                                    .toolSpecifications(LangChain4jStreams.WEATHER)
                                    .build())
                    .response()
                    .aiMessage();
            assertThat(called.hasToolExecutionRequests()).isTrue();
            ToolExecutionRequest call = called.toolExecutionRequests().getFirst();
            assertThat(call.name()).isEqualTo(TOOL);
            AiMessage answer = LangChain4jStreams.stream(
                            model,
                            ChatRequest.builder()
                                    .messages(user, called, ToolExecutionResultMessage.from(call, TOOL_RESULT))
                                    .toolSpecifications(LangChain4jStreams.WEATHER)
                                    .build())
                    .response()
                    .aiMessage();
            assertThat(answer.text()).contains(TOOL_RESULT);
            return TOOL + " called with " + call.arguments() + ", its result quoted in the answer";
        });
    }

    @Test
    void abort() throws Exception {
        results.run(CHAT, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            LangChain4jStreams.streamAndCancel(
                    model(ECHO),
                    ChatRequest.builder()
                            .messages(UserMessage.from(LONG_PROMPT))
                            .build());
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void thinking() throws Exception {
        results.run(CHAT, "thinking", () -> {
            AnthropicStreamingChatModel model = builder(REASONING)
                    .maxTokens(4096)
                    .thinkingType("enabled")
                    .thinkingBudgetTokens(2048)
                    .returnThinking(true)
                    .build();
            LangChain4jStreams.Streamed s = LangChain4jStreams.stream(
                    model,
                    ChatRequest.builder().messages(UserMessage.from(PROMPT)).build());
            assertThat(s.thinking()).isNotBlank();
            assertThat(s.response().aiMessage().thinking()).isEqualTo(s.thinking());
            assertThat(s.response().aiMessage().text()).isNotBlank();
            return "thinking streamed (" + s.thinking().length() + " chars), then the answer";
        });
    }

    @Test
    void unknownModel() throws Exception {
        results.run(CHAT, "unknown model", () -> {
            Throwable e = catchThrowable(() -> LangChain4jStreams.stream(
                    model(UNKNOWN),
                    ChatRequest.builder().messages(UserMessage.from(PROMPT)).build()));
            assertThat(e).isInstanceOf(ModelNotFoundException.class).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(e);
        });
    }
}
