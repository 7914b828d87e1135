package io.aistream.server.aisdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.Jackson;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ContentPart;
import io.aistream.request.InvalidRequestException;
import io.aistream.request.Message;
import io.aistream.stream.Backpressure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** UIMessages → ChatRequest, and the gateway fields of the UI body. */
class UiChatRequestTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static UiChatRequest parse(String json) {
        return UiChatRequest.parse(JSON.readTree(json), Optional.empty(), Optional.empty());
    }

    private static String field(String json) {
        try {
            parse(json);
        } catch (InvalidRequestException e) {
            return e.field().orElse("");
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aWholeUseChatHistoryBecomesTheConversation() {
        UiChatRequest r = parse("""
                {"id": "chat-1", "trigger": "submit-message", "messageId": "m4",
                 "provider": "simulated", "model": "echo", "system": "Be terse.",
                 "tools": [{"name": "get_weather", "parameters": {"type": "object"}}],
                 "messages": [
                  {"id": "s", "role": "system", "parts": [{"type": "text", "text": "Answer in French."}]},
                  {"id": "m1", "role": "user", "parts": [
                     {"type": "text", "text": "What is this?"},
                     {"type": "file", "mediaType": "image/png", "filename": "a.png", "url": "data:image/png;base64,iVBORw0KGgo="},
                     {"type": "file", "mediaType": "image/jpeg", "url": "https://example.com/cat.jpg"},
                     {"type": "file", "mediaType": "text/plain", "filename": "notes.txt", "url": "data:text/plain;base64,aGVsbG8="},
                     {"type": "data-weather", "data": {"x": 1}}]},
                  {"id": "m2", "role": "assistant", "metadata": {"streamId": "st_1"}, "parts": [
                     {"type": "step-start"},
                     {"type": "reasoning", "text": "thinking", "state": "done"},
                     {"type": "text", "text": "Let me look.", "state": "done"},
                     {"type": "tool-get_weather", "toolCallId": "c1", "state": "output-available", "input": {"city": "Paris"}, "output": {"t": 21}},
                     {"type": "dynamic-tool", "toolName": "lookup", "toolCallId": "c2", "state": "output-error", "input": {}, "errorText": "boom"},
                     {"type": "tool-get_weather", "toolCallId": "c3", "state": "input-streaming", "input": {"ci": 1}},
                     {"type": "step-start"},
                     {"type": "text", "text": "It is 21 degrees."},
                     {"type": "source-url", "sourceId": "s1", "url": "https://x"}]},
                  {"id": "m3", "role": "user", "parts": [{"type": "text", "text": "Thanks"}]}]}
                """);
        assertThat(r.chatId()).contains("chat-1");
        assertThat(r.messageId()).isEmpty(); // the last message is the user's: a fresh answer
        assertThat(r.stream().provider()).isEqualTo("simulated");
        assertThat(r.stream().resumable()).isTrue();
        assertThat(r.stream().backpressure()).isEqualTo(Backpressure.BLOCK);
        assertThat(r.options()).isEqualTo(UiStreamOptions.DEFAULT);
        var request = r.stream().request();
        assertThat(request.model()).contains("echo");
        assertThat(request.system()).contains("Be terse.\n\nAnswer in French.");
        assertThat(request.tools()).extracting(t -> t.name()).containsExactly("get_weather");
        assertThat(request.messages())
                .containsExactly(
                        new Message.User(List.of(
                                new ContentPart.Text("What is this?"),
                                ContentPart.Image.base64("image/png", "iVBORw0KGgo="),
                                ContentPart.Image.url("https://example.com/cat.jpg"),
                                new ContentPart.Text("[notes.txt]\nhello"))),
                        new Message.Assistant(List.of(
                                // reasoning without state is kept: each provider mapper decides what it sends back
                                new AssistantPart.Reasoning("thinking", Optional.empty()),
                                new AssistantPart.Text("Let me look."),
                                new AssistantToolCall("c1", "get_weather", JSON.readTree("{\"city\":\"Paris\"}")),
                                new AssistantToolCall("c2", "lookup", JSON.createObjectNode()))),
                        new Message.Tool("c1", "get_weather", "{\"t\":21}", false),
                        new Message.Tool("c2", "lookup", "boom", true),
                        new Message.Assistant("It is 21 degrees.", List.of()),
                        Message.user("Thanks"));
    }

    @Test
    void aContinuationAfterClientToolResultsKeepsTheAssistantMessageId() {
        UiChatRequest r = parse("""
                {"model": "simulated/tools", "messages": [
                  {"id": "m1", "role": "user", "parts": [{"type": "text", "text": "hi"}]},
                  {"id": "m2", "role": "assistant", "parts": [
                     {"type": "tool-f", "toolCallId": "c1", "state": "output-available", "input": {}, "output": "plain text"}]}]}
                """);
        assertThat(r.messageId()).contains("m2");
        assertThat(r.stream().provider()).isEqualTo("simulated");
        assertThat(r.stream().request().model()).contains("tools");
        assertThat(r.stream().request().messages().getLast())
                .isEqualTo(new Message.Tool("c1", "f", "plain text", false));
    }

    @Test
    void queryParametersNameTheTargetWhenTheBodyDoesNot() {
        JsonNode body =
                JSON.readTree("{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}]}");
        UiChatRequest r = UiChatRequest.parse(body, Optional.of("simulated"), Optional.of("lorem"));
        assertThat(r.stream().provider()).isEqualTo("simulated");
        assertThat(r.stream().request().model()).contains("lorem");
        UiChatRequest ref = UiChatRequest.parse(body, Optional.empty(), Optional.of("simulated/echo"));
        assertThat(ref.stream().provider()).isEqualTo("simulated");
        assertThat(ref.stream().request().model()).contains("echo");
        JsonNode withModel = JSON.readTree("{\"provider\":\"test\",\"model\":\"script\",\"messages\":"
                + "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}]}");
        UiChatRequest bodyWins = UiChatRequest.parse(withModel, Optional.of("simulated"), Optional.of("echo"));
        assertThat(bodyWins.stream().provider()).isEqualTo("test");
        assertThat(bodyWins.stream().request().model()).contains("script");
    }

    @Test
    void gatewayFieldsPassThrough() {
        UiChatRequest r = parse("""
                {"provider": "p", "resumable": false, "backpressure": "coalesce", "maxOutputTokens": 5,
                 "providerOptions": {"failAfter": 2}, "uiStream": {"providerMetadata": true},
                 "messages": [{"role": "user", "parts": [{"type": "text", "text": "x"}]}]}
                """);
        assertThat(r.stream().resumable()).isFalse();
        assertThat(r.stream().backpressure()).isEqualTo(Backpressure.COALESCE);
        assertThat(r.stream().request().maxOutputTokens()).hasValue(5);
        assertThat(r.stream().request().providerOptions()).containsKey("failAfter");
        assertThat(r.options()).isEqualTo(new UiStreamOptions(false, true));
    }

    @Test
    void problemsNameTheirField() {
        String user = "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}";
        assertThat(field("{\"provider\":\"p\",\"messages\":[" + user + "],\"colour\":1}"))
                .isEqualTo("colour");
        assertThat(field("{\"provider\":\"p\",\"messages\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool-f\","
                        + "\"toolCallId\":\"c\",\"state\":\"weird\"}]}]}"))
                .isEqualTo("messages[0].parts[0].state");
        assertThat(field("{\"provider\":\"p\",\"messages\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool-f\","
                        + "\"state\":\"output-available\"}]}]}"))
                .isEqualTo("messages[0].parts[0].toolCallId");
        assertThat(field("{\"provider\":\"p\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"file\","
                        + "\"mediaType\":\"image/png\",\"url\":\"ftp://x\"}]}]}"))
                .isEqualTo("messages[0].parts[0].url");
        assertThat(field("{\"provider\":\"p\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"file\","
                        + "\"mediaType\":\"image/png\",\"url\":\"data:image/png,raw\"}]}]}"))
                .isEqualTo("messages[0].parts[0].url");
        assertThat(field("{\"provider\":\"p\",\"messages\":[{\"role\":\"system\",\"parts\":[{\"type\":\"file\","
                        + "\"mediaType\":\"image/png\",\"url\":\"https://x\"}]}]}"))
                .isEqualTo("messages[0].parts[0].type");
        // only a system prompt, nothing to answer
        assertThat(
                        field(
                                "{\"provider\":\"p\",\"messages\":[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"text\":\"s\"}]}]}"))
                .isEqualTo("messages");
        assertThat(field("{\"provider\":\"p\",\"messages\":[" + user + "],\"messageId\":5}"))
                .isEqualTo("messageId");
        assertThat(field("{\"model\":\"simulated/\",\"messages\":[" + user + "]}"))
                .isEqualTo("model");
        assertThat(field("{\"provider\":\"p\",\"messages\":[" + user + "],\"uiStream\":{\"finishReason\":\"yes\"}}"))
                .isEqualTo("uiStream.finishReason");
        assertThatThrownBy(() -> UiChatRequest.parse(JSON.readTree("[]"), Optional.empty(), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void incompleteToolCallsAreLeftOutWithTheirCall() {
        UiChatRequest r = parse("""
                {"provider": "p", "messages": [
                  {"role": "user", "parts": [{"type": "text", "text": "x"}]},
                  {"role": "assistant", "parts": [
                     {"type": "tool-f", "toolCallId": "c1", "state": "input-available", "input": {"a": 1}},
                     {"type": "tool-g", "toolCallId": "c2", "state": "output-available", "input": {}, "output": 1, "providerExecuted": true}]},
                  {"role": "user", "parts": [{"type": "text", "text": "never mind"}]}]}
                """);
        assertThat(r.stream().request().messages()).containsExactly(Message.user("x"), Message.user("never mind"));
    }

    @Test
    void reasoningStateComesBackFromProviderMetadataInOrder() {
        // what useChat holds after the gateway's (or the provider packages') UI streams: several steps
        UiChatRequest r = parse("""
                {"provider": "p", "messages": [
                  {"role": "user", "parts": [{"type": "text", "text": "weather?"}]},
                  {"id": "a1", "role": "assistant", "parts": [
                     {"type": "step-start"},
                     {"type": "reasoning", "text": "Let me think.", "state": "done",
                      "providerMetadata": {"anthropic": {"signature": "sig-1"}}},
                     {"type": "reasoning", "text": "", "state": "done",
                      "providerMetadata": {"anthropic": {"redactedData": "red-1"}}},
                     {"type": "text", "text": "Checking.", "state": "done"},
                     {"type": "tool-get_weather", "toolCallId": "c1", "state": "output-available",
                      "input": {"city": "Paris"}, "output": {"t": 21}},
                     {"type": "step-start"},
                     {"type": "reasoning", "text": "b", "providerMetadata": {"amazonBedrock": {"signature": "bs"}, "bedrock": {"signature": "bs"}}},
                     {"type": "reasoning", "text": "", "providerMetadata": {"bedrock": {"redactedContent": "YmluYXJ5"}}},
                     {"type": "reasoning", "text": "", "providerMetadata": {"openai": {"itemId": "rs_1", "reasoningEncryptedContent": null}}},
                     {"type": "reasoning", "text": "sum", "providerMetadata": {"openai": {"itemId": "rs_2", "reasoningEncryptedContent": "enc"}}},
                     {"type": "reasoning", "text": "g", "providerMetadata": {"google": {"thoughtSignature": "gs1"}}},
                     {"type": "text", "text": "", "providerMetadata": {"google": {"thoughtSignature": "gs2"}}},
                     {"type": "text", "text": "It is"},
                     {"type": "text", "text": " 21."},
                     {"type": "dynamic-tool", "toolName": "note", "toolCallId": "c2", "state": "output-available",
                      "input": {}, "output": "ok", "callProviderMetadata": {"google": {"thoughtSignature": "gs3"}}},
                     {"type": "reasoning", "text": "", "state": "done"}]},
                  {"role": "user", "parts": [{"type": "text", "text": "thanks"}]}]}
                """);
        assertThat(r.stream().request().messages())
                .containsExactly(
                        Message.user("weather?"),
                        new Message.Assistant(List.of(
                                new AssistantPart.Reasoning(
                                        "Let me think.",
                                        Optional.of(ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-1"))),
                                new AssistantPart.Reasoning(
                                        "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, "red-1"))),
                                new AssistantPart.Text("Checking."),
                                new AssistantToolCall("c1", "get_weather", JSON.readTree("{\"city\":\"Paris\"}")))),
                        new Message.Tool("c1", "get_weather", "{\"t\":21}", false),
                        new Message.Assistant(List.of(
                                new AssistantPart.Reasoning(
                                        "b", Optional.of(ReasoningState.signature(ReasoningState.BEDROCK, "bs"))),
                                new AssistantPart.Reasoning(
                                        "", Optional.of(ReasoningState.redacted(ReasoningState.BEDROCK, "YmluYXJ5"))),
                                new AssistantPart.Reasoning(
                                        "", Optional.of(ReasoningState.openAiItem("rs_1", Optional.empty()))),
                                new AssistantPart.Reasoning(
                                        "sum", Optional.of(ReasoningState.openAiItem("rs_2", Optional.of("enc")))),
                                new AssistantPart.Reasoning(
                                        "g", Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, "gs1"))),
                                new AssistantPart.Text(
                                        "", Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, "gs2"))),
                                new AssistantPart.Text("It is 21."),
                                new AssistantToolCall(
                                        "c2",
                                        "note",
                                        JSON.createObjectNode(),
                                        Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, "gs3"))))),
                        new Message.Tool("c2", "note", "ok", false),
                        Message.user("thanks"));
    }

    @Test
    void aStepOfReasoningAloneIsLeftOut() {
        UiChatRequest r = parse("""
                {"provider": "p", "messages": [
                  {"role": "user", "parts": [{"type": "text", "text": "x"}]},
                  {"role": "assistant", "parts": [
                     {"type": "reasoning", "text": "half a thought", "providerMetadata": {"anthropic": {"signature": "s"}}}]},
                  {"role": "user", "parts": [{"type": "text", "text": "again"}]}]}
                """);
        assertThat(r.stream().request().messages()).containsExactly(Message.user("x"), Message.user("again"));
    }
}
