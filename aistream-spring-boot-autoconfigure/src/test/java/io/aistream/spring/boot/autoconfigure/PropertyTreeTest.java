package io.aistream.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PropertyTreeTest {
    private static String json(String... nameValues) {
        PropertyTree tree = new PropertyTree("aistream.");
        for (int i = 0; i < nameValues.length; i += 2) {
            tree.add(nameValues[i], nameValues[i + 1]);
        }
        return tree.toJson().toString();
    }

    @Test
    void schemaKeysAcceptEveryRelaxedSpelling() {
        assertThat(json("aistream.simulated.tokens-per-second", "0"))
                .isEqualTo("{\"simulated\":{\"tokensPerSecond\":0}}");
        assertThat(json("aistream.simulated.tokensPerSecond", "5"))
                .isEqualTo("{\"simulated\":{\"tokensPerSecond\":5}}");
        assertThat(json("aistream.simulated.tokens_per_second", "5"))
                .isEqualTo("{\"simulated\":{\"tokensPerSecond\":5}}");
        assertThat(json("aistream.memory.budget-mi-b", "64")).isEqualTo("{\"memory\":{\"budgetMiB\":64}}");
    }

    @Test
    void userChosenNamesAreKeptAsWritten() {
        assertThat(json(
                        "aistream.providers.my-Vllm.base-url", "http://h/v1",
                        "aistream.providers.my-Vllm.settings.api-version", "2024",
                        "aistream.aliases.fast-one", "simulated/echo"))
                .isEqualTo("{\"providers\":{\"my-Vllm\":{\"baseUrl\":\"http://h/v1\",\"settings\":{\"api-version\":"
                        + "\"2024\"}}},\"aliases\":{\"fast-one\":\"simulated/echo\"}}");
    }

    @Test
    void indexesAndCommaSeparatedValuesBecomeLists() {
        assertThat(json("aistream.chains.fast[1]", "b/y", "aistream.chains.fast[0]", "a/x"))
                .isEqualTo("{\"chains\":{\"fast\":[\"a/x\",\"b/y\"]}}");
        assertThat(json("aistream.chains.fast", "a/x, b/y")).isEqualTo("{\"chains\":{\"fast\":[\"a/x\",\"b/y\"]}}");
        assertThat(json("aistream.providers.p.models", "m1,m2"))
                .isEqualTo("{\"providers\":{\"p\":{\"models\":[\"m1\",\"m2\"]}}}");
        assertThat(json("aistream.providers.p.models[0]", "a,b"))
                .isEqualTo("{\"providers\":{\"p\":{\"models\":[\"a,b\"]}}}");
    }

    @Test
    void pricesAreDecimalNumbersUnderAModelKeyKeptAsWritten() {
        assertThat(json(
                        "aistream.prices[openai/gpt-4.1-mini].input", "0.4",
                        "aistream.prices[openai/gpt-4.1-mini].cached-input", "0.1",
                        "aistream.prices[openai/gpt-4.1-mini].output", "cheap"))
                .isEqualTo("{\"prices\":{\"openai/gpt-4.1-mini\":{\"input\":0.4,\"cachedInput\":0.1,"
                        + "\"output\":\"cheap\"}}}");
    }

    @Test
    void onlySchemaNumbersAndBooleansAreConverted() {
        assertThat(json("aistream.retry.max-attempts", "3", "aistream.simulated.enabled", "FALSE"))
                .isEqualTo("{\"retry\":{\"maxAttempts\":3},\"simulated\":{\"enabled\":false}}");
        // not a number: stays a string, so the validator names the key
        assertThat(json("aistream.timeouts.idle-ms", "soon")).isEqualTo("{\"timeouts\":{\"idleMs\":\"soon\"}}");
        // an API key or a model that looks like a number stays a string
        assertThat(json("aistream.providers.p.api-key", "12345", "aistream.aliases.maxAttempts", "p/7"))
                .isEqualTo("{\"providers\":{\"p\":{\"apiKey\":\"12345\"}},\"aliases\":{\"maxAttempts\":\"p/7\"}}");
    }

    @Test
    void theFirstSourceWinsAndClashesAreNamed() {
        assertThat(json("aistream.retry.max-attempts", "3", "aistream.retry.maxAttempts", "9"))
                .isEqualTo("{\"retry\":{\"maxAttempts\":3}}");
        assertThatThrownBy(() -> json("aistream.retry", "x", "aistream.retry.max-attempts", "3"))
                .hasMessageContaining("aistream.retry.max-attempts");
    }
}
