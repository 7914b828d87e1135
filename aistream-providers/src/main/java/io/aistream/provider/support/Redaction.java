package io.aistream.provider.support;

import io.aistream.provider.spi.ProviderConfig;

/**
 * The one place credentials are removed from text that leaves a provider (error messages, body
 * excerpts). Stateless.
 */
public final class Redaction {
    /** What a credential is replaced with. */
    public static final String MARK = "[redacted]";

    private Redaction() {}

    /** {@code text} with every occurrence of the configured API key replaced by {@link #MARK}. */
    public static String redact(String text, ProviderConfig config) {
        String key = config.apiKey().orElse("");
        return key.isEmpty() ? text : text.replace(key, MARK);
    }
}
