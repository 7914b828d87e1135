package io.aistream.provider.registry;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.ModelRef;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.SourceReadiness;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The config's {@code prices} section: model → {@link ModelPrice}, keyed by {@code provider/model}
 * exactly as a done chunk names them (the live provider's name and the model it ran, e.g.
 * {@code openai/gpt-4o-mini}; an alias or chain name is not a key: it resolves to one of these).
 *
 * <p>A done chunk gets its {@link DoneChunk#cost() cost} when its usage is known and its model has
 * a price; a done with unknown usage (nothing reported) gets none. The model is looked up as the
 * done names it, then as the request named it (a provider may report a dated model id, e.g.
 * {@code gpt-4o-mini-2024-07-18}, for the model the table names). Immutable, thread-safe.
 */
public final class PriceTable {
    /** No prices: no done gets a cost. */
    public static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, ModelPrice> prices;

    /** A table of {@code provider/model} → price. */
    public PriceTable(Map<String, ModelPrice> prices) {
        Map<String, ModelPrice> copy = new LinkedHashMap<>();
        prices.forEach((key, price) -> {
            ModelRef.parse(key); // a provider/model key, or an IllegalArgumentException saying why not
            copy.put(key, price);
        });
        this.prices = Map.copyOf(copy);
    }

    /** Whether the table has no prices. */
    public boolean isEmpty() {
        return prices.isEmpty();
    }

    /** Every price, by {@code provider/model}. */
    public Map<String, ModelPrice> prices() {
        return prices;
    }

    /** The price of {@code model} on {@code provider}, if the table has one. */
    public Optional<ModelPrice> price(String provider, String model) {
        return Optional.ofNullable(prices.get(provider + "/" + model));
    }

    /**
     * {@code done} with its cost, when it has none yet, its usage is known and the table prices its
     * model: the done's provider and model first, then {@code requested} (the target the request
     * resolved to; null for a fallback chain, whose done names the member that answered).
     */
    public DoneChunk priced(DoneChunk done, ModelRef requested) {
        if (done.cost().isPresent() || done.usage().isEmpty() || prices.isEmpty()) {
            return done;
        }
        Optional<String> provider =
                done.provider().or(() -> Optional.ofNullable(requested).map(ModelRef::provider));
        if (provider.isEmpty()) {
            return done;
        }
        Optional<ModelPrice> price = done.model().flatMap(m -> price(provider.get(), m));
        if (price.isEmpty() && requested != null && requested.provider().equals(provider.get())) {
            price = price(requested.provider(), requested.model());
        }
        return price.map(p -> done.withCost(Optional.of(p.cost(done.usage().get()))))
                .orElse(done);
    }

    /**
     * {@code source} with {@link #priced} applied to its done chunk and to the done chunks the
     * consuming side makes up ({@link ChunkSource#fillDone}); the source itself when the table is empty.
     */
    public ChunkSource priced(ChunkSource source, ModelRef requested) {
        return prices.isEmpty() ? source : new PricedSource(source, requested);
    }

    private final class PricedSource implements ChunkSource {
        private final ChunkSource inner;
        private final ModelRef requested;

        PricedSource(ChunkSource inner, ModelRef requested) {
            this.inner = inner;
            this.requested = requested;
        }

        @Override
        public Optional<StreamChunk> next() throws Exception {
            Optional<StreamChunk> chunk = inner.next();
            return chunk.isPresent() && chunk.get() instanceof DoneChunk done
                    ? Optional.of(priced(done, requested))
                    : chunk;
        }

        @Override
        public DoneChunk fillDone(DoneChunk done) {
            return priced(inner.fillDone(done), requested);
        }

        /** The inner source's: pricing a done never blocks. */
        @Override
        public Optional<SourceReadiness> readiness() {
            return inner.readiness();
        }

        @Override
        public void cancel() {
            inner.cancel();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Override
    public String toString() {
        return "PriceTable" + prices.keySet();
    }
}
