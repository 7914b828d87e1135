package io.aistream.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aistream.TestSeeds;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class ChatRequestJsonTest {

    @Test
    void readsEveryField() {
        ChatRequest r = ChatRequestJson.parse("""
                {"model": "gpt-4o-mini", "system": "be terse",
                 "messages": [
                   {"role": "user", "content": "hi"},
                   {"role": "user", "content": [{"type": "text", "text": "look"},
                                                {"type": "image", "url": "https://x/y.png"},
                                                {"type": "image", "mediaType": "image/png", "data": "iVBORw0KGgo="}]},
                   {"role": "assistant", "content": "", "toolCalls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]},
                   {"role": "tool", "toolCallId": "call_1", "name": "get_weather", "content": "{\\"temp\\":21}", "isError": true}],
                 "tools": [{"name": "get_weather", "description": "weather", "parameters": {"type": "object"}}],
                 "toolChoice": {"tool": "get_weather"},
                 "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 100, "stop": ["END", "STOP"],
                 "reasoning": {"budgetTokens": 1024},
                 "providerOptions": {"seed": 7}}
                """);

        assertThat(r.model()).contains("gpt-4o-mini");
        assertThat(r.system()).contains("be terse");
        assertThat(r.messages()).extracting(Message::role).containsExactly("user", "user", "assistant", "tool");
        assertThat(((Message.User) r.messages().get(1)).content())
                .containsExactly(
                        ContentPart.text("look"),
                        ContentPart.Image.url("https://x/y.png"),
                        ContentPart.Image.base64("image/png", "iVBORw0KGgo="));
        Message.Assistant assistant = (Message.Assistant) r.messages().get(2);
        assertThat(assistant.toolCalls().getFirst().arguments().get("city").stringValue())
                .isEqualTo("Paris");
        assertThat(r.messages().get(3)).isEqualTo(new Message.Tool("call_1", "get_weather", "{\"temp\":21}", true));
        assertThat(r.tools())
                .singleElement()
                .satisfies(t -> assertThat(t.description()).contains("weather"));
        assertThat(r.toolChoice()).contains(ToolChoice.tool("get_weather"));
        assertThat(r.temperature()).hasValue(0.2);
        assertThat(r.topP()).hasValue(0.9);
        assertThat(r.maxOutputTokens()).hasValue(100);
        assertThat(r.stopSequences()).containsExactly("END", "STOP");
        assertThat(r.reasoning()).contains(Reasoning.budget(1024));
        assertThat(r.providerOptions().get("seed").intValue()).isEqualTo(7);
    }

    @Test
    void minimalRequestAndLenientForms() {
        ChatRequest r = ChatRequestJson.parse("""
                {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant"}],
                 "stop": "\\n", "model": null, "tools": [{"name": "t"}], "toolChoice": "required",
                 "reasoning": {"effort": "low"}}""");
        assertThat(r.model()).isEmpty();
        assertThat(r.messages().get(1)).isEqualTo(Message.assistant(""));
        assertThat(r.stopSequences()).containsExactly("\n");
        assertThat(r.tools().getFirst().parameters().get("type").stringValue()).isEqualTo("object");
        assertThat(r.toolChoice()).contains(ToolChoice.REQUIRED);
        assertThat(r.reasoning()).contains(Reasoning.effort(Reasoning.Effort.LOW));
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("{}", "messages", "is required"),
                Arguments.of("{\"messages\": []}", "messages", "at least one message"),
                Arguments.of("{\"messages\": {}}", "messages", "must be an array of messages, found an object"),
                Arguments.of("{\"messages\": [\"hi\"]}", "messages[0]", "must be an object, found a string"),
                Arguments.of("{\"messages\": [{\"content\": \"hi\"}]}", "messages[0].role", "is required"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}",
                        "messages[0].role",
                        "found 'bot'"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"system\", \"content\": \"hi\"}]}",
                        "messages[0].role",
                        "top-level 'system'"),
                Arguments.of("{\"messages\": [{\"role\": \"user\"}]}", "messages[0].content", "is required"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}",
                        "messages[0].content",
                        "must be a string or an array of content parts, found a number"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\", \"contnet\": 1}]}",
                        "messages[0].contnet",
                        "unknown field; expected one of content, role"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": "
                                + "[{\"type\": \"text\", \"text\": \"x\"}]}, {\"role\": \"user\", \"content\": [{\"type\": \"image\", \"url\": 7}]}]}",
                        "messages[2].content[0].url",
                        "must be a string, found a number"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"data\": \"AAAA\"}]}]}",
                        "messages[0].content[0].mediaType",
                        "is required for inline image data"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"mediaType\": \"image/png\", \"data\": \"data:x\"}]}]}",
                        "messages[0].content[0].data",
                        "must be base64"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"audio\"}]}]}",
                        "messages[0].content[0].type",
                        "must be 'text' or 'image'"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"user\", \"content\": []}]}",
                        "messages[0].content",
                        "at least one part"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"assistant\", \"toolCalls\": [{\"id\": \"c\", \"name\": \"n\", \"arguments\": \"{}\"}]}]}",
                        "messages[0].toolCalls[0].arguments",
                        "must be a JSON object, found a string"),
                Arguments.of(
                        "{\"messages\": [{\"role\": \"tool\", \"toolCallId\": \"c\", \"name\": \"n\", \"content\": \"x\", \"isError\": \"no\"}]}",
                        "messages[0].isError",
                        "must be true or false"),
                Arguments.of(ok("\"modle\": \"x\""), "modle", "unknown field"),
                Arguments.of(ok("\"model\": \" \""), "model", "must not be blank"),
                Arguments.of(ok("\"temperature\": \"hot\""), "temperature", "must be a number, found a string"),
                Arguments.of(ok("\"temperature\": 2.5"), "temperature", "between 0 and 2"),
                Arguments.of(ok("\"topP\": 0"), "topP", "greater than 0"),
                Arguments.of(ok("\"maxOutputTokens\": 1.5"), "maxOutputTokens", "must be a whole number"),
                Arguments.of(ok("\"maxOutputTokens\": 99999999999"), "maxOutputTokens", "must be a whole number"),
                Arguments.of(ok("\"maxOutputTokens\": 0"), "maxOutputTokens", "must be positive"),
                Arguments.of(ok("\"stop\": [1]"), "stop[0]", "must be a string"),
                Arguments.of(
                        ok("\"tools\": [{\"name\": \"a\"}, {\"name\": \"a\"}]"), "tools[1].name", "already the name"),
                Arguments.of(
                        ok("\"tools\": [{\"name\": \"a\", \"parameters\": []}]"),
                        "tools[0].parameters",
                        "JSON Schema object"),
                Arguments.of(ok("\"tools\": [{\"name\": \"a\", \"params\": {}}]"), "tools[0].params", "unknown field"),
                Arguments.of(ok("\"toolChoice\": \"any\""), "toolChoice", "found 'any'"),
                Arguments.of(ok("\"toolChoice\": {\"tool\": \"x\"}"), "toolChoice.tool", "not among the tools"),
                Arguments.of(ok("\"reasoning\": {}"), "reasoning", "either 'effort' or 'budgetTokens'"),
                Arguments.of(ok("\"reasoning\": {\"effort\": \"max\"}"), "reasoning.effort", "found 'max'"),
                Arguments.of(ok("\"reasoning\": {\"budgetTokens\": -1}"), "reasoning.budgetTokens", "must be positive"),
                Arguments.of(ok("\"providerOptions\": 3"), "providerOptions", "must be an object"));
    }

    private static String ok(String extra) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + extra + "}";
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidInputNamesTheFieldAndTheProblem(String body, String field, String problem) {
        InvalidRequestException e =
                catchThrowableOfType(InvalidRequestException.class, () -> ChatRequestJson.parse(body));
        assertThat(e).as(body).isNotNull();
        assertThat(e.field()).contains(field);
        assertThat(e.problem()).contains(problem);
        assertThat(e.getMessage()).isEqualTo(field + ": " + e.problem());
        assertThat(e.code()).isEqualTo("invalid_request");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void malformedJsonHasNoFieldAndSaysWhere() {
        for (String body : List.of(
                "", "{", "[1]", "{\"messages\": [] } x", "{\"model\":\"a\",\"model\":\"b\",\"messages\":[]}", "nul")) {
            InvalidRequestException e =
                    catchThrowableOfType(InvalidRequestException.class, () -> ChatRequestJson.parse(body));
            assertThat(e).as(body).isNotNull();
            assertThat(e.field()).as(body).isEmpty();
        }
        assertThatThrownBy(() -> ChatRequestJson.parse("{\"model\":\"a\",\"model\":\"b\"}"))
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("model");
        assertThatThrownBy(() -> ChatRequestJson.parse("[1]"))
                .hasMessage("the body must be a JSON object, found an array");
    }

    @Test
    void callerDeclaredTopLevelFieldsAreSkipped() {
        JsonNode body = ChatRequestJson.readTree(
                "{\"provider\": \"simulated\", \"resumable\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        ChatRequest r = ChatRequestJson.parse(body, Set.of("provider", "resumable", "backpressure"));
        assertThat(r.messages()).hasSize(1);
        assertThatThrownBy(() -> ChatRequestJson.parse(body, Set.of("provider")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("resumable");
                    assertThat(e.problem()).contains("provider");
                });
    }

    @Test
    void writesTheDocumentedShape() {
        ChatRequest r = ChatRequest.builder()
                .model("echo")
                .user("Hello")
                .message(new Message.Assistant(
                        "", List.of(new AssistantToolCall("c1", "f", ChatRequestJson.readTree("{\"a\":1}")))))
                .message(new Message.Tool("c1", "f", "ok", true))
                .toolChoice(ToolChoice.AUTO)
                .maxOutputTokens(5)
                .build();
        assertThat(ChatRequestJson.toJson(r))
                .isEqualTo("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"},"
                        + "{\"role\":\"assistant\",\"content\":\"\",\"toolCalls\":[{\"id\":\"c1\",\"name\":\"f\",\"arguments\":{\"a\":1}}]},"
                        + "{\"role\":\"tool\",\"toolCallId\":\"c1\",\"name\":\"f\",\"content\":\"ok\",\"isError\":true}],"
                        + "\"toolChoice\":\"auto\",\"maxOutputTokens\":5}");
    }

    @Test
    void assistantPartsCarryReasoningStateInOrder() {
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"parts\":["
                + "{\"type\":\"reasoning\",\"text\":\"Check.\",\"state\":{\"source\":\"anthropic\",\"signature\":\"sig\"}},"
                + "{\"type\":\"reasoning\",\"text\":\"\",\"state\":{\"source\":\"anthropic\",\"redacted\":\"opaque\"}},"
                + "{\"type\":\"text\",\"text\":\"Looking.\"},"
                + "{\"type\":\"tool_call\",\"id\":\"t1\",\"name\":\"weather\",\"arguments\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"tool\",\"toolCallId\":\"t1\",\"name\":\"weather\",\"content\":\"sunny\"}]}";
        ChatRequest request = ChatRequestJson.parse(json);
        Message.Assistant a = (Message.Assistant) request.messages().get(1);
        assertThat(a.parts()).hasSize(4);
        assertThat(a.reasoning().getFirst().state().orElseThrow().signature()).contains("sig");
        assertThat(a.text()).isEqualTo("Looking.");
        assertThat(a.toolCalls()).extracting(AssistantToolCall::id).containsExactly("t1");
        assertThat(ChatRequestJson.toJson(request)).isEqualTo(json);
    }

    @Test
    void assistantPartsAreCheckedFieldByField() {
        assertThatThrownBy(() -> ChatRequestJson.parse("{\"messages\":[{\"role\":\"assistant\",\"content\":\"x\","
                        + "\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("parts");
        assertThatThrownBy(
                        () -> ChatRequestJson.parse(
                                "{\"messages\":[{\"role\":\"assistant\","
                                        + "\"parts\":[{\"type\":\"reasoning\",\"text\":\"x\",\"state\":{\"source\":\"anthropic\"}}]}]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> ChatRequestJson.parse(
                        "{\"messages\":[{\"role\":\"assistant\"," + "\"parts\":[{\"type\":\"image\"}]}]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'reasoning', 'text' or 'tool_call'");
        assertThatThrownBy(
                        () -> ChatRequestJson.parse(
                                "{\"messages\":[{\"role\":\"assistant\","
                                        + "\"parts\":[{\"type\":\"text\",\"text\":\"x\",\"state\":{\"source\":\" \",\"signature\":\"s\"}}]}]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("source");
    }

    @Test
    void roundTripsRandomRequests() {
        long seed = TestSeeds.seed(ChatRequestJsonTest.class, 0xC4A7L);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            ChatRequest request = randomRequest(random);
            String json = ChatRequestJson.toJson(request);
            assertThat(ChatRequestJson.parse(json))
                    .as("seed %d, json %s", seed, json)
                    .isEqualTo(request);
            assertThat(ChatRequestJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isEqualTo(request);
        }
    }

    private static ChatRequest randomRequest(SplittableRandom r) {
        ChatRequest.Builder b = ChatRequest.builder();
        if (r.nextBoolean()) {
            b.model(word(r));
        }
        if (r.nextBoolean()) {
            b.system(text(r));
        }
        int messages = 1 + r.nextInt(5);
        for (int i = 0; i < messages; i++) {
            switch (r.nextInt(4)) {
                case 0 -> {
                    int parts = 1 + r.nextInt(3);
                    List<ContentPart> content = new java.util.ArrayList<>();
                    for (int p = 0; p < parts; p++) {
                        content.add(
                                switch (r.nextInt(4)) {
                                    case 0 -> ContentPart.Image.url("https://example.com/" + word(r) + ".png");
                                    case 1 ->
                                        new ContentPart.Image(
                                                new ContentPart.ImageSource.Url("https://e/x"), "image/jpeg");
                                    case 2 ->
                                        ContentPart.Image.base64("image/png", "QUJD" + (r.nextBoolean() ? "RA==" : ""));
                                    default -> ContentPart.text(text(r));
                                });
                    }
                    b.message(new Message.User(content));
                }
                case 1 ->
                    b.message(new Message.Assistant(
                            text(r),
                            r.nextBoolean()
                                    ? List.of()
                                    : List.of(new AssistantToolCall(
                                            "call_" + i,
                                            word(r),
                                            ChatRequestJson.readTree(
                                                    "{\"n\":" + r.nextInt(100) + ",\"s\":\"" + word(r) + "\"}")))));
                case 2 -> b.message(new Message.Tool("call_" + i, word(r), text(r), r.nextBoolean()));
                default -> b.message(assistantWithParts(r, i));
            }
        }
        int tools = r.nextInt(3);
        for (int i = 0; i < tools; i++) {
            b.tool(new ToolDefinition(
                    "tool" + i,
                    r.nextBoolean() ? Optional.of(text(r)) : Optional.empty(),
                    ChatRequestJson.readTree("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}")));
        }
        switch (r.nextInt(5)) {
            case 0 -> b.toolChoice(ToolChoice.AUTO);
            case 1 -> b.toolChoice(ToolChoice.NONE);
            case 2 -> b.toolChoice(ToolChoice.REQUIRED);
            case 3 -> {
                if (tools > 0) {
                    b.toolChoice(ToolChoice.tool("tool0"));
                }
            }
            default -> {}
        }
        if (r.nextBoolean()) {
            b.temperature(r.nextInt(201) / 100.0);
        }
        if (r.nextBoolean()) {
            b.topP((1 + r.nextInt(100)) / 100.0);
        }
        if (r.nextBoolean()) {
            b.maxOutputTokens(1 + r.nextInt(100_000));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            b.stopSequence(text(r));
        }
        switch (r.nextInt(3)) {
            case 0 -> b.reasoning(Reasoning.budget(1 + r.nextInt(10_000)));
            case 1 -> b.reasoning(Reasoning.effort(Reasoning.Effort.values()[r.nextInt(4)]));
            default -> {}
        }
        if (r.nextBoolean()) {
            b.providerOption("seed", ChatRequestJson.readTree(Integer.toString(r.nextInt(1000))));
            b.providerOption("nested", ChatRequestJson.readTree("{\"a\":[1,\"two\",null,true]}"));
        }
        return b.build();
    }

    private static Message.Assistant assistantWithParts(SplittableRandom r, int i) {
        List<AssistantPart> parts = new java.util.ArrayList<>();
        parts.add(new AssistantPart.Reasoning(text(r), Optional.of(randomState(r))));
        for (int p = r.nextInt(4); p > 0; p--) {
            parts.add(
                    switch (r.nextInt(3)) {
                        case 0 ->
                            new AssistantPart.Reasoning(
                                    text(r), r.nextBoolean() ? Optional.of(randomState(r)) : Optional.empty());
                        case 1 ->
                            new AssistantPart.Text(
                                    text(r), r.nextBoolean() ? Optional.of(randomState(r)) : Optional.empty());
                        default ->
                            new AssistantToolCall(
                                    "call_" + i + "_" + p,
                                    word(r),
                                    ChatRequestJson.readTree("{\"k\":" + r.nextInt(9) + "}"),
                                    r.nextBoolean() ? Optional.of(randomState(r)) : Optional.empty());
                    });
        }
        return new Message.Assistant(parts);
    }

    private static io.aistream.chunk.ReasoningState randomState(SplittableRandom r) {
        String source = List.of("anthropic", "bedrock", "google", "openai").get(r.nextInt(4));
        Optional<String> signature = Optional.of(word(r));
        return new io.aistream.chunk.ReasoningState(
                source,
                signature,
                r.nextBoolean() ? Optional.of(word(r)) : Optional.empty(),
                r.nextBoolean() ? Optional.of("rs_" + word(r)) : Optional.empty(),
                r.nextBoolean() ? Optional.of(text(r)) : Optional.empty());
    }

    private static String word(SplittableRandom r) {
        return "w" + Integer.toString(r.nextInt(1_000_000), 36);
    }

    private static String text(SplittableRandom r) {
        String[] pieces = {"hello", " ", "wörld", "\n", "\"quoted\"", "😀", "\\", "\u0000", "tab\t", ""};
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        return sb.toString();
    }
}
