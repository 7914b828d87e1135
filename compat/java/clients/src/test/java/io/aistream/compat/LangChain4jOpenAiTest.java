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

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LangChain4j's {@code OpenAiStreamingChatModel}, unchanged, against the gateway's Chat Completions. */
@Timeout(90)
class LangChain4jOpenAiTest {
    private static final String CHAT = "/v1/chat/completions";

    private static GatewayProcess gateway;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "langchain4j-open-ai",
                "langchain4j-open-ai OpenAiStreamingChatModel",
                "Java",
                CompatResults.versionOf(OpenAiStreamingChatModel.class, "dev.langchain4j", "langchain4j-open-ai"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static OpenAiStreamingChatModel model(String name) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey("sk-not-checked")
                .modelName(name)
                .build();
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
            OpenAiStreamingChatModel model = model(TOOLS);
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
