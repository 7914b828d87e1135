package io.aistream.provider.registry;

import io.aistream.chunk.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * What one model costs, per million tokens, in whatever currency the price table is written in
 * (the gateway does not convert; USD in the examples). Exact decimal arithmetic: no floating point.
 *
 * @param input       price of a million uncached input tokens
 * @param cachedInput price of a million input tokens read from the prompt cache; {@code input} when absent
 * @param cacheWrite  price of a million input tokens written to the prompt cache; {@code input} when absent
 * @param output      price of a million output tokens (reasoning tokens too, unless {@code reasoning} is set)
 * @param reasoning   price of a million reasoning tokens; {@code output} when absent
 */
public record ModelPrice(
        BigDecimal input,
        Optional<BigDecimal> cachedInput,
        Optional<BigDecimal> cacheWrite,
        BigDecimal output,
        Optional<BigDecimal> reasoning) {

    /** Costs are rounded (half-even) to this many decimal places: far below any currency's smallest unit. */
    public static final int SCALE = 12;

    private static final BigDecimal PER = BigDecimal.valueOf(1_000_000);

    public ModelPrice {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(cachedInput, "cachedInput");
        Objects.requireNonNull(cacheWrite, "cacheWrite");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(reasoning, "reasoning");
        for (BigDecimal p : new BigDecimal[] {
            input, output, cachedInput.orElse(input), cacheWrite.orElse(input), reasoning.orElse(output)
        }) {
            if (p.signum() < 0) {
                throw new IllegalArgumentException("prices must not be negative");
            }
        }
    }

    /** A price with input and output only (cache reads and writes at the input price, reasoning at the output price). */
    public static ModelPrice of(BigDecimal input, BigDecimal output) {
        return new ModelPrice(input, Optional.empty(), Optional.empty(), output, Optional.empty());
    }

    /**
     * The cost of {@code usage}: uncached input × input + cache reads × cachedInput + cache writes ×
     * cacheWrite + (output − reasoning) × output + reasoning × reasoning, divided by a million;
     * rounded to {@link #SCALE} places and given without trailing zeros (never in exponent form
     * for values of 10⁻⁶ or more).
     */
    public BigDecimal cost(Usage usage) {
        long reasoningTokens = Math.min(usage.reasoningTokens(), usage.outputTokens());
        BigDecimal sum = times(usage.uncachedInputTokens(), input)
                .add(times(usage.cacheReadTokens(), cachedInput.orElse(input)))
                .add(times(usage.cacheWriteTokens(), cacheWrite.orElse(input)))
                .add(times(usage.outputTokens() - reasoningTokens, output))
                .add(times(reasoningTokens, reasoning.orElse(output)));
        BigDecimal cost =
                sum.divide(PER).setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return cost.scale() < 0 ? cost.setScale(0) : cost;
    }

    private static BigDecimal times(long tokens, BigDecimal perMillion) {
        return BigDecimal.valueOf(tokens).multiply(perMillion);
    }
}
