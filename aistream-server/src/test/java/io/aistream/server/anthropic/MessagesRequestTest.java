package io.aistream.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.Jackson;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Messages request reader: what it maps, and every refusal naming the path of what is wrong. */
class MessagesRequestTest {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static MessagesRequest parse(String json) {
        return parse(json, MessagesRequest.Kind.MESSAGES);
    }

    private static MessagesRequest parse(String json, MessagesRequest.Kind kind) {
        return MessagesRequest.parse(Jackson.strictMapper().readTree(json), kind);
    }

    private static String refusal(String json) {
        AnthropicError e =
                ((AnthropicError.Failure) org.assertj.core.api.Assertions.catchThrowable(() -> parse(json))).error();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        return e.message();
    }

    @Test
    void mapsAWholeConversation() {
        MessagesRequest r = parse("""
                {"model":"simulated/tools","max_tokens":2000,"stream":true,
                 "system":[{"type":"text","text":"Be terse.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Really."}],
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Weather?"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
                     {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sig"},
                     {"type":"redacted_thinking","data":"xx"},
                     {"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}],"is_error":false},
                     {"type":"text","text":"And?"}]}],
                 "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"},"eager_input_streaming":true},
                          {"type":"custom","name":"get_time","input_schema":{"type":"object","properties":{}},"strict":true}],
                 "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
                 "temperature":0.5,"top_p":0.9,"top_k":5,"stop_sequences":["END"],
                 "metadata":{"user_id":"u-1"},
                 "thinking":{"type":"enabled","budget_tokens":1024},
                 "provider_options":{"seed":7}}
                """);
        assertThat(r.model()).isEqualTo("simulated/tools");
        assertThat(r.stream()).isTrue();
        ChatRequest c = r.request();
        assertThat(c.system()).contains("Be terse.\n\nReally.");
        assertThat(c.maxOutputTokens().getAsInt()).isEqualTo(2000);
        assertThat(c.messages())
                .containsExactly(
                        new Message.User(List.of(
                                new ContentPart.Text("Weather?"),
                                ContentPart.Image.base64("image/png", "iVBO"),
                                ContentPart.Image.url("https://example.com/a.png"))),
                        new Message.Assistant(List.of(
                                new AssistantPart.Reasoning(
                                        "hm", Optional.of(ReasoningState.signature(ReasoningState.ANTHROPIC, "sig"))),
                                new AssistantPart.Reasoning(
                                        "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, "xx"))),
                                new AssistantPart.Text("Checking."),
                                new AssistantToolCall(
                                        "toolu_1",
                                        "get_weather",
                                        Jackson.mapper().readTree("{\"city\":\"Paris\"}")))),
                        new Message.Tool("toolu_1", "get_weather", "sunny", false),
                        Message.user("And?"));
        assertThat(c.tools()).extracting(t -> t.name()).containsExactly("get_weather", "get_time");
        assertThat(c.toolChoice()).contains(ToolChoice.tool("get_weather"));
        assertThat(c.temperature().getAsDouble()).isEqualTo(0.5);
        assertThat(c.topP().getAsDouble()).isEqualTo(0.9);
        assertThat(c.stopSequences()).containsExactly("END");
        assertThat(c.reasoning()).contains(Reasoning.budget(1024));
        assertThat(c.providerOptions()).containsOnlyKeys("top_k", "seed", "user");
        assertThat(c.providerOptions().get("user").asString()).isEqualTo("u-1");
    }

    @Test
    void toolResultErrorsAndStringContent() {
        ChatRequest c = parse("""
                {"model":"m","max_tokens":5,"messages":[
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"boom","is_error":true}]},
                  {"role":"assistant","content":"ok"}],
                 "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"},
                 "thinking":{"type":"disabled"}}
                """).request();
        assertThat(c.messages().get(1)).isEqualTo(new Message.Tool("t1", "f", "boom", true));
        assertThat(c.messages().get(2)).isEqualTo(Message.assistant("ok"));
        assertThat(c.toolChoice()).contains(ToolChoice.REQUIRED);
        assertThat(c.reasoning()).isEmpty();
    }

    @Test
    void countTokensNeedsNoMaxTokens() {
        assertThat(parse("{\"model\":\"m\"," + HI + "}", MessagesRequest.Kind.COUNT_TOKENS)
                        .request()
                        .maxOutputTokens())
                .isEmpty();
        assertThat(refusal("{\"model\":\"m\"," + HI + "}")).isEqualTo("max_tokens: Field required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"m","max_tokens":1,"messages":[],"x":1}                                         | x: Extra inputs are not permitted
            {"max_tokens":1,"messages":[{"role":"user","content":"hi"}]}                             | model: Field required
            {"model":" ","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}                 | model: must name a model
            {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}                 | max_tokens: must be positive
            {"model":"m","max_tokens":1,"messages":[]}                                               | messages: must hold at least one message
            {"model":"m","max_tokens":1,"messages":[{"role":"system","content":"hi"}]}               | messages[0].role: must be 'user' or 'assistant'
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi","name":"x"}]}      | messages[0].name: Extra inputs are not permitted
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[]}]}                   | messages[0].content: must hold at least one content block
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]} | messages[0].content[0].type: 'document' blocks are not supported
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"search_result"}]}]} | messages[0].content[0].type: 'search_result' blocks are not supported
            {"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"server_tool_use"}]}]} | messages[0].content[0].type: 'server_tool_use' blocks are not supported
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"video"}]}]}   | messages[0].content[0].type: must be one of text, image, tool_result; got 'video'
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text"}]}]}    | messages[0].content[0].text: Field required
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","x":1}}]}]} | messages[0].content[0].cache_control.x: Extra inputs are not permitted
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]} | messages[0].content[0].source.type: must be 'base64' or 'url'
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"nope"}]}]} | messages[0].content[0].tool_use_id: 'nope' answers no tool_use block
            {"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"url","url":"u"}}]}]}]} | messages[1].content[0].content[0].type: only text blocks are allowed here; got 'image' (images in tool results
            {"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":[]}]}]} | messages[0].content[0].input: must be an object
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]} | tools[0].type: server tool 'web_search_20250305' (web_search) is not supported
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"bash_20250124","name":"bash"}]} | tools[0].type: server tool 'bash_20250124' (bash) is not supported
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f"}]} | tools[0].input_schema: Field required
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{},"input_examples":[]}]} | tools[0].input_examples: Extra inputs are not permitted
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"any"}} | tool_choice.type: 'any' needs 'tools'
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool","name":"g"}} | tool_choice.name: 'g' is not among the tools
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"required"}} | tool_choice.type: must be one of auto, any, tool, none
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"temperature":1.5} | temperature: must be between 0 and 1
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"top_k":0}        | top_k: must be positive
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"stop_sequences":"END"} | stop_sequences: must be an array of strings
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"metadata":{"session":"x"}} | metadata.session: Extra inputs are not permitted
            {"model":"m","max_tokens":2000,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":100}} | thinking.budget_tokens: must be at least 1024
            {"model":"m","max_tokens":1100,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":2000}} | thinking.budget_tokens: must be less than max_tokens (1100)
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"on"}} | thinking.type: must be 'enabled', 'disabled' or 'adaptive'
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"service_tier":"auto"} | service_tier: is not supported by this gateway
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"container":"c"}  | container: is not supported by this gateway
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"mcp_servers":[]} | mcp_servers: is not supported by this gateway
            """)
    void refusalsNameThePath(String body, String message) {
        assertThat(refusal(body)).startsWith(message);
    }

    @Test
    void theBodyMustBeAnObject() {
        assertThatThrownBy(() -> parse("[1]"))
                .isInstanceOf(AnthropicError.Failure.class)
                .hasMessageContaining("the request body must be a JSON object");
    }
}
