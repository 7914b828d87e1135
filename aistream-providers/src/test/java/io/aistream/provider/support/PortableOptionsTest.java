package io.aistream.provider.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.request.ChatRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PortableOptionsTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static Map<String, JsonNode> noOps() {
        return TestRequests.withNoOpOpenAiParameters(
                        ChatRequest.builder().model("m").user("hi"))
                .build()
                .providerOptions();
    }

    @Test
    void theOpenAiWireKeepsTheAdvisoryParametersAndDropsTheDefaults() {
        assertThat(PortableOptions.forWire("openai", noOps(), PortableOptions.Wire.OPENAI))
                .containsOnlyKeys("user", "safety_identifier", "metadata", "prompt_cache_key", "store");
    }

    @Test
    void anyOtherWireDropsThemAll() {
        assertThat(PortableOptions.forWire("gemini", noOps(), PortableOptions.Wire.OTHER))
                .isEmpty();
    }

    @Test
    void everythingElsePassesInOrder() {
        Map<String, JsonNode> given = new java.util.LinkedHashMap<>();
        given.put("top_k", JSON.readTree("40"));
        given.put("user", JSON.readTree("\"u\""));
        given.put("frequency_penalty", JSON.readTree("0.5"));
        given.put("response_format", JSON.readTree("{\"type\":\"json_object\"}"));
        given.put("parallel_tool_calls", JSON.readTree("false"));

        assertThat(PortableOptions.forWire("x", given, PortableOptions.Wire.OTHER))
                .containsExactly(
                        Map.entry("top_k", JSON.readTree("40")),
                        Map.entry("frequency_penalty", JSON.readTree("0.5")),
                        Map.entry("response_format", JSON.readTree("{\"type\":\"json_object\"}")));
        assertThat(PortableOptions.forWire("x", given, PortableOptions.Wire.OPENAI))
                .containsKeys("user", "parallel_tool_calls", "frequency_penalty");
        assertThat(given).hasSize(5); // the given map is not changed
    }

    @Test
    void storeTrueIsRefusedOffTheOpenAiWireNamingIt() {
        Map<String, JsonNode> store = Map.of("store", JSON.readTree("true"));

        assertThatThrownBy(() -> PortableOptions.forWire("anthropic", store, PortableOptions.Wire.OTHER))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("store"))
                .hasMessageContaining("anthropic does not support 'store'");
        assertThat(PortableOptions.forWire("openai", store, PortableOptions.Wire.OPENAI))
                .containsKey("store");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            frequency_penalty   | 0                   | true
            frequency_penalty   | 0.0                 | true
            frequency_penalty   | 0.5                 | false
            presence_penalty    | -1                  | false
            n                   | 1                   | true
            n                   | 2                   | false
            logprobs            | false               | true
            logprobs            | true                | false
            top_logprobs        | 3                   | false
            response_format     | {"type":"text"}     | true
            response_format     | {"type":"json_object"} | false
            service_tier        | "auto"              | true
            service_tier        | "flex"              | false
            parallel_tool_calls | true                | true
            parallel_tool_calls | false               | false
            modalities          | ["text"]            | true
            modalities          | ["text","audio"]    | false
            logit_bias          | {"50256":-100}      | false
            seed                | 0                   | false
            anything            | null                | true
            """)
    void defaultsAreRecognisedByValue(String name, String value, boolean isDefault) {
        assertThat(PortableOptions.isDefault(name, JSON.readTree(value))).isEqualTo(isDefault);
    }

    @Test
    void theEndUserIsTheSafetyIdentifierElseTheUser() {
        assertThat(PortableOptions.endUser(noOps())).contains("end-user-7");
        assertThat(PortableOptions.endUser(Map.of("user", JSON.readTree("\"u\""))))
                .contains("u");
        assertThat(PortableOptions.endUser(Map.of("user", JSON.readTree("\" \""))))
                .isEmpty();
    }
}
