package io.aistream.provider.spi;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured provider: which protocol, where, with which credentials. Comes from the
 * environment or a config file only — never from a request.
 *
 * @param name     the name requests use (e.g. {@code openai}, {@code groq}, {@code my-vllm})
 * @param protocol the protocol id (e.g. {@code openai-chat}, {@code anthropic}, {@code gemini})
 * @param baseUrl  the API base URL
 * @param apiKey   the credential, if the provider needs one; {@link #toString()} never shows it
 * @param settings further protocol-specific settings (e.g. Azure api-version, AWS region)
 */
public record ProviderConfig(
        String name, String protocol, URI baseUrl, Optional<String> apiKey, Map<String, String> settings) {
    public ProviderConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        settings = Map.copyOf(settings);
    }

    /** A setting, if present. */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", protocol=" + protocol + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey.isPresent() ? "(set)" : "(none)") + ", settings=" + settings.keySet() + "]";
    }
}
