package io.aistream.json;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonFactoryBuilder;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place aistream builds Jackson factories and mappers.
 *
 * <p>Every factory built here takes its buffers from Jackson's shared bounded recycler pool. Jackson's
 * default is a pool per factory that never shrinks: with one factory per class it kept about 100 KB for
 * every stream that was ever parsing at once, for the life of the process.
 *
 * <p>The shared instances are immutable and thread-safe. The builders are new on every call; a caller
 * that needs a variant (another root separator, another feature) starts from one of them so the pool
 * setting is never forgotten.
 */
public final class Jackson {
    private static final JsonFactory FACTORY = factoryBuilder().build();
    private static final JsonMapper MAPPER = mapperBuilder().build();
    private static final JsonMapper STRICT = mapperBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Jackson() {}

    /** A new factory builder that uses the shared bounded buffer pool. */
    public static JsonFactoryBuilder factoryBuilder() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool());
    }

    /** The shared factory for streaming parsers and generators (default settings, shared pool). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** A new mapper builder over a factory that uses the shared bounded buffer pool. */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factoryBuilder().build());
    }

    /** The shared mapper with Jackson's default settings (shared pool). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * The shared mapper for input that must be exactly one well-formed JSON value: duplicate object
     * keys and trailing tokens are errors.
     */
    public static JsonMapper strictMapper() {
        return STRICT;
    }
}
