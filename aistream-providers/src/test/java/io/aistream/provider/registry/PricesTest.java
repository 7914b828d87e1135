package io.aistream.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.ModelRef;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/** The price table: the cost arithmetic, the config's validation, and cost on the registry's streams. */
class PricesTest {

    private static JsonNode json(String text) {
        return Jackson.mapper().readTree(text);
    }

    private static ProviderRegistry registry(String config) {
        return ProviderRegistry.builder().config(json(config), Set.of()).build();
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    @Test
    void costCountsCacheReadsWritesAndReasoningAtTheirOwnPrices() {
        ModelPrice price = new ModelPrice(
                dec("3"), Optional.of(dec("0.3")), Optional.of(dec("3.75")), dec("15"), Optional.of(dec("20")));
        // 10,000 input of which 6,000 cache reads and 1,000 cache writes; 2,000 output of which 500 reasoning
        Usage usage = new Usage(10_000, 2_000, 12_000, 6_000, 1_000, 500);

        // 3,000 × 3 + 6,000 × 0.3 + 1,000 × 3.75 + 1,500 × 15 + 500 × 20 = 47,050 per million
        assertThat(price.cost(usage)).isEqualTo(dec("0.04705"));
    }

    @Test
    void absentCachePricesFallBackToInputAndAbsentReasoningToOutput() {
        ModelPrice price = ModelPrice.of(dec("0.15"), dec("0.6"));
        Usage usage = new Usage(1_000_000, 1_000_000, 2_000_000, 400_000, 100_000, 300_000);

        assertThat(price.cost(usage)).isEqualTo(dec("0.75"));
    }

    @Test
    void costIsExactDecimalWithoutFloatingPointNoise() {
        ModelPrice price =
                new ModelPrice(dec("0.1"), Optional.of(dec("0.075")), Optional.empty(), dec("0.2"), Optional.empty());

        assertThat(price.cost(new Usage(3, 3, 6, 1, 0, 0)).toPlainString()).isEqualTo("0.000000875");
        assertThat(price.cost(Usage.of(0, 0)).toPlainString()).isEqualTo("0");
    }

    @Test
    void theConfigSectionBuildsTheTableAndTheRegistryPricesItsStreams() throws Exception {
        ProviderRegistry registry = registry("""
                {"prices": {"simulated/echo": {"input": 2, "output": 10, "cachedInput": 1}}}""");
        assertThat(registry.prices().price("simulated", "echo")).isPresent();

        ChunkSource source = registry.open(
                registry.resolve(Optional.of("simulated"), Optional.of("echo")),
                ChatRequest.builder().user("one two three").build());
        DoneChunk done = lastDone(source);

        // echo: 3 input tokens, 3 output tokens: 3 × 2 + 3 × 10 per million
        assertThat(done.usage()).contains(Usage.of(3, 3));
        assertThat(done.cost()).contains(dec("0.000036"));
    }

    @Test
    void anAbortedStreamsMadeUpDoneIsPricedFromItsUsageSoFar() throws Exception {
        ProviderRegistry registry = registry("""
                {"prices": {"simulated/lorem": {"input": 1000000, "output": 1000000}}}""");
        ChatProvider lorem = registry.asProviders().get("simulated");
        ChatStream stream = ChatStream.builder(lorem.open(ChatRequest.builder()
                        .model("lorem")
                        .user("x")
                        .providerOption("stallAfter", IntNode.valueOf(2))
                        .build()))
                .build();
        stream.next();
        stream.next();

        stream.abort();

        DoneChunk done = (DoneChunk) stream.next().orElseThrow();
        assertThat(done.finishReason()).isEqualTo(FinishReason.ABORTED);
        assertThat(done.usage()).contains(Usage.of(1, 2));
        assertThat(done.cost()).contains(dec("3"));
    }

    @Test
    void unknownUsageGetsNoCostAndAnUnpricedModelNone() {
        PriceTable table = new PriceTable(Map.of("openai/gpt-4o-mini", ModelPrice.of(dec("0.15"), dec("0.6"))));
        DoneChunk unknown = DoneChunk.of(FinishReason.ABORTED)
                .withMetadata(Optional.empty(), Optional.of("openai"), Optional.of("gpt-4o-mini"));
        DoneChunk unpriced = DoneChunk.of(FinishReason.STOP, Usage.of(10, 10), "openai", "gpt-4o");

        assertThat(table.priced(unknown, null).cost()).isEmpty();
        assertThat(table.priced(unpriced, null).cost()).isEmpty();
    }

    @Test
    void aDatedModelTheProviderReportsIsPricedAsTheRequestedModel() {
        PriceTable table = new PriceTable(Map.of("openai/gpt-4o-mini", ModelPrice.of(dec("0.15"), dec("0.6"))));
        DoneChunk done = DoneChunk.of(FinishReason.STOP, Usage.of(1_000_000, 0), "openai", "gpt-4o-mini-2024-07-18");

        assertThat(table.priced(done, new ModelRef("openai", "gpt-4o-mini")).cost())
                .contains(dec("0.15"));
        // a chain's member answered: the requested target says nothing about another provider
        assertThat(table.priced(done, new ModelRef("anthropic", "gpt-4o-mini")).cost())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"prices\":[]}|config 'prices': must be an object",
                "{\"prices\":{\"gpt-4o\":{\"input\":1,\"output\":1}}}|config 'prices.gpt-4o': the key must be provider/model",
                "{\"prices\":{\"openai/gpt-4o\":{\"input\":1,\"output\":1,\"cached\":1}}}|config 'prices.openai/gpt-4o.cached': unknown key (known: [cacheWrite, cachedInput, input, output, reasoning])",
                "{\"prices\":{\"openai/gpt-4o\":{\"input\":-1,\"output\":1}}}|config 'prices.openai/gpt-4o.input': must be from 0 to 1000000",
                "{\"prices\":{\"openai/gpt-4o\":{\"input\":\"2.5\",\"output\":1}}}|config 'prices.openai/gpt-4o.input': must be a number",
                "{\"prices\":{\"openai/gpt-4o\":{\"input\":1,\"output\":1,\"reasoning\":true}}}|config 'prices.openai/gpt-4o.reasoning': must be a number",
                "{\"prices\":{\"openai/gpt-4o\":{\"input\":1}}}|config 'prices.openai/gpt-4o.output': is required",
                "{\"prices\":{\"openai/gpt-4o\":2.5}}|config 'prices.openai/gpt-4o': must be an object",
            })
    void aBadPriceIsAConfigErrorNamingItsPath(String config, String message) {
        assertThatThrownBy(() -> registry(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(message);
    }

    private static DoneChunk lastDone(ChunkSource source) throws Exception {
        try (source) {
            for (Optional<StreamChunk> c = source.next(); c.isPresent(); c = source.next()) {
                if (c.get() instanceof DoneChunk done) {
                    return done;
                }
            }
        }
        throw new AssertionError("no done chunk");
    }
}
