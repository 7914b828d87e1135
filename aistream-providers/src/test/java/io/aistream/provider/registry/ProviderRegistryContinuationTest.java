package io.aistream.provider.registry;

import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ChatProvider#openContinuation} through the registry, on the real Anthropic protocol (which
 * prefills) and an OpenAI-compatible preset that cannot.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderRegistryContinuationTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final ChatRequest REQUEST =
            ChatRequest.builder().user("Who are you?").build();

    private final FakeUpstream upstream = FakeUpstream.start();
    private final ProviderRegistry registry = ProviderRegistry.builder()
            .config(JSON.readTree("""
                    {"providers":{
                       "claude":{"protocol":"anthropic","baseUrl":"%s","apiKey":"k"},
                       "studio":{"protocol":"openai-chat","preset":"lmstudio","baseUrl":"%s/v1"}},
                     "aliases":{"fast":"claude/claude-x"},
                     "chains":{"mixed":["studio/m1","claude/claude-x"]}}""".formatted(upstream.baseUri(), upstream.baseUri())), Set.of())
            .build();

    @AfterEach
    void stop() {
        upstream.close();
    }

    /** An Anthropic Messages stream: optional thinking, then the text deltas, usage on message_delta. */
    private static String anthropic(String thinking, String... deltas) {
        StringBuilder sse = new StringBuilder(event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":9,"
                        + "\"output_tokens\":1}}}"));
        int index = 0;
        if (thinking != null) {
            sse.append(event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
                            + "\"thinking\":\"\"}}"));
            sse.append(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\","
                            + "\"thinking\":" + JSON.writeValueAsString(thinking) + "}}"));
            sse.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
            index = 1;
        }
        sse.append(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + index
                        + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String d : deltas) {
            sse.append(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":" + index
                            + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + JSON.writeValueAsString(d) + "}}"));
        }
        sse.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
        sse.append(
                event(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}"));
        sse.append(event("message_stop", "{\"type\":\"message_stop\"}"));
        return sse.toString();
    }

    private static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    private ChatProvider provider(String name) {
        return registry.asProviders().get(name);
    }

    private static JsonNode lastMessage(FakeUpstream upstream) {
        JsonNode messages = JSON.readTree(upstream.requests().getLast().body()).path("messages");
        return messages.get(messages.size() - 1);
    }

    private static String blockText(JsonNode anthropicMessage) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : anthropicMessage.path("content")) {
            sb.append(block.path("text").asString());
        }
        return sb.toString();
    }

    @Test
    void anthropicContinuesFromTheSentTextAsAPrefillAndARepeatIsStripped() throws Exception {
        // the upstream (contrary to what prefill promises) starts the answer over: the repeat goes
        upstream.enqueue(Script.sse().send(anthropic("let me think", "I", "'m Cla", "ude.")));

        List<StreamChunk> chunks = drain(provider("claude")
                .openContinuation(REQUEST.toBuilder().model("claude-x").build(), "I'm Cl", AttemptObserver.NONE)
                .orElseThrow());

        assertThat(text(chunks)).isEqualTo("aude.");
        assertThat(chunks).noneMatch(ReasoningChunk.class::isInstance);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(done(chunks).usage()).contains(Usage.of(9, 4));
        JsonNode last = lastMessage(upstream);
        assertThat(last.path("role").asString()).isEqualTo("assistant");
        assertThat(blockText(last)).isEqualTo("I'm Cl");
    }

    @Test
    void anAliasAndAChainContinueOnTheirPrefillMembers() throws Exception {
        upstream.enqueue(Script.sse().send(anthropic(null, "aude.")));
        upstream.enqueue(Script.sse().send(anthropic(null, "aude.")));

        for (String name : List.of("fast", "mixed")) {
            List<StreamChunk> chunks = drain(provider(name)
                    .openContinuation(REQUEST, "I'm Cl", AttemptObserver.NONE)
                    .orElseThrow());

            assertThat(text(chunks)).as(name).isEqualTo("aude.");
            assertThat(done(chunks).recovered()).as(name).isTrue();
            assertThat(done(chunks).provider()).as(name).contains("claude");
            assertThat(upstream.requests().getLast().path()).as(name).endsWith("/v1/messages");
        }
        assertThat(upstream.requests()).hasSize(2); // the chain's lmstudio member was never asked
    }

    @Test
    void aProtocolWithoutPrefillCannotContinue() {
        assertThat(provider("studio")
                        .openContinuation(REQUEST.toBuilder().model("m1").build(), "I'm Cl", AttemptObserver.NONE))
                .isEmpty();
        assertThat(registry.openContinuation(
                        registry.resolve(Optional.of("studio"), Optional.of("m1")),
                        REQUEST,
                        "I'm",
                        AttemptObserver.NONE))
                .isEmpty();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void theSimulatedProviderContinuesThroughTheRegistryToo() throws Exception {
        ChatRequest echo = ChatRequest.builder().user("one two three").build();
        ProviderRegistry.Resolution r = registry.resolve(Optional.empty(), Optional.of("simulated/echo"));

        List<StreamChunk> chunks = drain(registry.openContinuation(r, echo, "one tw", AttemptObserver.NONE)
                .orElseThrow());

        assertThat(text(chunks)).isEqualTo("o three");
        assertThat(done(chunks).recovered()).isTrue();
    }
}
