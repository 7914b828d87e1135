package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.REASONING;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_DESCRIPTION;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official anthropic-java client, unchanged, against the gateway's Messages endpoint. */
@Timeout(90)
class AnthropicJavaTest {
    private static final String MESSAGES = "/v1/messages";

    private static GatewayProcess gateway;
    private static AnthropicClient client;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        client = AnthropicOkHttpClient.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey("sk-ant-not-checked")
                .maxRetries(0)
                .build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "anthropic-java",
                "anthropic-java",
                "Java",
                CompatResults.versionOf(AnthropicClient.class, "com.anthropic", "anthropic-java-core"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static MessageCreateParams.Builder params(String model, String user) {
        return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage(user);
    }

    /** What one stream delivered: the message the SDK's accumulator built, and the deltas in order ("t"/"r"). */
    private record Streamed(Message message, List<String> deltaKinds) {
        long count(String kind) {
            return deltaKinds.stream().filter(kind::equals).count();
        }
    }

    private static Streamed stream(MessageCreateParams params) {
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> kinds = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
            s.stream().forEach(event -> {
                acc.accumulate(event);
                event.contentBlockDelta().ifPresent(d -> {
                    d.delta().text().ifPresent(t -> kinds.add("t"));
                    d.delta().thinking().ifPresent(t -> kinds.add("r"));
                });
            });
        }
        return new Streamed(acc.message(), kinds);
    }

    private static String text(Message m) {
        StringBuilder b = new StringBuilder();
        m.content().forEach(c -> c.text().ifPresent(t -> b.append(t.text())));
        return b.toString();
    }

    @Test
    void text() throws Exception {
        results.run(MESSAGES, "text", () -> {
            Streamed s = stream(params(ECHO, PROMPT).build());
            assertThat(text(s.message())).contains(PROMPT);
            assertThat(s.count("t")).isGreaterThan(1);
            return "echo streamed in " + s.count("t") + " text_delta events";
        });
    }

    @Test
    void tools() throws Exception {
        results.run(MESSAGES, "tools", () -> {
            MessageCreateParams first = params(TOOLS, CompatScenarios.TOOL_QUESTION)
                    .addTool(Tool.builder()
                            .name(TOOL)
                            .description(TOOL_DESCRIPTION)
                            .inputSchema(Tool.InputSchema.builder()
                                    .properties(Tool.InputSchema.Properties.builder()
                                            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                            .build())
                                    .required(List.of("city"))
                                    .build())
                            .build())
                    .build();
            Message called = stream(first).message();
            ToolUseBlock call = called.content().stream()
                    .map(ContentBlock::toolUse)
                    .flatMap(Optional::stream)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no tool_use block in " + called.content()));
            assertThat(call.name()).isEqualTo(TOOL);
            Message answer = stream(first.toBuilder()
                            .addMessage(called)
                            .addUserMessageOfContentBlockParams(
                                    List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                            .toolUseId(call.id())
                                            .content(TOOL_RESULT)
                                            .build())))
                            .build())
                    .message();
            assertThat(text(answer)).contains(TOOL_RESULT);
            return TOOL + " called with " + call._input() + ", its result quoted in the answer";
        });
    }

    @Test
    void thinking() throws Exception {
        results.run(MESSAGES, "thinking", () -> {
            Streamed s = stream(params(REASONING, PROMPT)
                    .maxTokens(4096)
                    .enabledThinking(2048)
                    .build());
            assertThat(s.deltaKinds()).contains("r", "t");
            assertThat(s.deltaKinds().lastIndexOf("r"))
                    .isLessThan(s.deltaKinds().indexOf("t"));
            assertThat(s.message().content().getFirst().thinking()).isPresent();
            return "thinking streamed in " + s.count("r") + " thinking_delta events, then the answer";
        });
    }

    @Test
    void abort() throws Exception {
        results.run(MESSAGES, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            try (StreamResponse<RawMessageStreamEvent> s =
                    client.messages().createStreaming(params(ECHO, LONG_PROMPT).build())) {
                Iterator<RawMessageStreamEvent> it = s.stream().iterator();
                while (it.hasNext() && it.next().contentBlockDelta().isEmpty()) {
                    // until the first text arrives
                }
            } // closing the StreamResponse mid-way is how the SDK cancels
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void unknownModel() throws Exception {
        results.run(MESSAGES, "unknown model", () -> {
            Throwable e = catchThrowable(() -> stream(params(UNKNOWN, PROMPT).build()));
            assertThat(e).isInstanceOf(NotFoundException.class).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(e);
        });
    }
}
