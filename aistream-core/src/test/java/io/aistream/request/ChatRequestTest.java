package io.aistream.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChatRequestTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final JsonNode SCHEMA =
            JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

    @Test
    void builderKeepsEveryField() {
        ChatRequest r = ChatRequest.builder()
                .model("gpt-4o-mini")
                .system("be terse")
                .user("hi")
                .message(new Message.User(List.of(ContentPart.text("look"), ContentPart.Image.url("https://x/y.png"))))
                .message(new Message.Assistant(
                        "",
                        List.of(new AssistantToolCall("call_1", "get_weather", JSON.readTree("{\"city\":\"Paris\"}")))))
                .message(Message.toolResult("call_1", "get_weather", "{\"temp\":21}"))
                .tool(new ToolDefinition("get_weather", Optional.of("weather"), SCHEMA))
                .toolChoice(ToolChoice.tool("get_weather"))
                .temperature(0.2)
                .topP(0.9)
                .maxOutputTokens(100)
                .stopSequence("END")
                .reasoning(Reasoning.budget(1024))
                .providerOption("seed", JSON.readTree("7"))
                .build();

        assertThat(r.model()).contains("gpt-4o-mini");
        assertThat(r.messages()).extracting(Message::role).containsExactly("user", "user", "assistant", "tool");
        assertThat(r.tools()).hasSize(1);
        assertThat(r.toolChoice()).contains(ToolChoice.tool("get_weather"));
        assertThat(r.maxOutputTokens()).hasValue(100);
        assertThat(r.reasoning().orElseThrow().budgetTokens()).hasValue(1024);
        assertThat(r.providerOptions()).containsKey("seed");
        assertThat(r.toBuilder().model("other").build())
                .isEqualTo(new ChatRequest(
                        Optional.of("other"),
                        r.system(),
                        r.messages(),
                        r.tools(),
                        r.toolChoice(),
                        r.temperature(),
                        r.topP(),
                        r.maxOutputTokens(),
                        r.stopSequences(),
                        r.reasoning(),
                        r.providerOptions()));
    }

    @Test
    void invalidValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> ChatRequest.builder().build()).hasMessageContaining("at least one message");
        assertThatThrownBy(() -> ChatRequest.builder().user("x").temperature(3).build())
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> ChatRequest.builder().user("x").topP(0).build())
                .hasMessageContaining("topP");
        assertThatThrownBy(
                        () -> ChatRequest.builder().user("x").maxOutputTokens(0).build())
                .hasMessageContaining("maxOutputTokens");
        assertThatThrownBy(() -> ChatRequest.builder()
                        .user("x")
                        .toolChoice(ToolChoice.tool("nope"))
                        .build())
                .hasMessageContaining("'nope'");
        ToolDefinition t = new ToolDefinition("a", Optional.empty(), SCHEMA);
        assertThatThrownBy(() -> ChatRequest.builder().user("x").tool(t).tool(t).build())
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new ToolDefinition("a", Optional.empty(), JSON.readTree("[1]")))
                .hasMessageContaining("JSON Schema object");
        assertThatThrownBy(() -> ContentPart.Image.base64("", "AAAA")).hasMessageContaining("media type");
        assertThatThrownBy(() -> Reasoning.budget(0)).hasMessageContaining("positive");
    }

    @Test
    void requestIsImmutable() {
        ChatRequest r = ChatRequest.builder().user("x").build();
        assertThatThrownBy(() -> r.messages().add(Message.user("y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anAssistantPrefillJoinsATrailingTextAnswerOrStartsOne() {
        ChatRequest asked =
                ChatRequest.builder().model("m").user("hi").temperature(0.2).build();
        ChatRequest once = asked.withAssistantPrefill("Hel");
        assertThat(once.messages()).containsExactly(Message.user("hi"), Message.assistant("Hel"));
        assertThat(once.withAssistantPrefill("lo").messages())
                .containsExactly(Message.user("hi"), Message.assistant("Hello"));
        assertThat(once.model()).contains("m");
        assertThat(once.temperature()).isEqualTo(asked.temperature());
        assertThat(asked.messages()).containsExactly(Message.user("hi")); // the original is unchanged

        ChatRequest afterTool = asked.withMessages(List.of(
                Message.user("hi"),
                new Message.Assistant("", List.of(new AssistantToolCall("c1", "f", ChatRequestJson.readTree("{}"))))));
        assertThat(afterTool.withAssistantPrefill("x").messages())
                .hasSize(3)
                .last()
                .isEqualTo(Message.assistant("x"));
    }
}
