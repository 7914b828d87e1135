package io.aistream.provider.registry;

import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.bedrock.BedrockProtocol;
import io.aistream.provider.openai.OpenAiCompatible;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers the environment configures: one {@link ProviderConfig} per provider whose
 * credentials are set. Keys are read here and only here; they are never logged.
 *
 * <table>
 *   <caption>Variables read</caption>
 *   <tr><th>provider</th><th>variables</th></tr>
 *   <tr><td>openai, openai-responses</td><td>{@code OPENAI_API_KEY}, optional {@code OPENAI_BASE_URL}</td></tr>
 *   <tr><td>anthropic</td><td>{@code ANTHROPIC_API_KEY}, optional {@code ANTHROPIC_BASE_URL}</td></tr>
 *   <tr><td>gemini</td><td>{@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY}</td></tr>
 *   <tr><td>cohere</td><td>{@code COHERE_API_KEY}</td></tr>
 *   <tr><td>ollama</td><td>{@code OLLAMA_HOST} (host, host:port or URL)</td></tr>
 *   <tr><td>azure-openai</td><td>{@code AZURE_OPENAI_API_KEY} + {@code AZURE_OPENAI_ENDPOINT}, optional
 *       {@code AZURE_OPENAI_API_VERSION}, {@code AZURE_OPENAI_DEPLOYMENT}</td></tr>
 *   <tr><td>bedrock</td><td>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN})
 *       or {@code AWS_BEARER_TOKEN_BEDROCK}, and {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}</td></tr>
 *   <tr><td>mistral, deepseek, openrouter, groq, together, xai</td><td>{@code <NAME>_API_KEY}</td></tr>
 * </table>
 */
public final class EnvironmentProviders {
    private EnvironmentProviders() {
    }

    /** The configured providers, in a stable order. */
    public static List<ProviderConfig> read(Map<String, String> env) {
        List<ProviderConfig> out = new ArrayList<>();
        value(env, "OPENAI_API_KEY").ifPresent(key -> {
            URI base = value(env, "OPENAI_BASE_URL").map(EnvironmentProviders::uri)
                    .or(OpenAiCompatible.OPENAI::defaultBaseUrl).orElseThrow();
            out.add(new ProviderConfig("openai", "openai-chat", base, Optional.of(key), Map.of()));
            out.add(new ProviderConfig("openai-responses", "openai-responses", base, Optional.of(key), Map.of()));
        });
        value(env, "ANTHROPIC_API_KEY").ifPresent(key -> out.add(new ProviderConfig("anthropic", "anthropic",
                value(env, "ANTHROPIC_BASE_URL").map(EnvironmentProviders::uri).orElse(URI.create("https://api.anthropic.com")),
                Optional.of(key), Map.of())));
        value(env, "GEMINI_API_KEY").or(() -> value(env, "GOOGLE_API_KEY")).ifPresent(key -> out.add(new ProviderConfig(
                "gemini", "gemini", URI.create("https://generativelanguage.googleapis.com"), Optional.of(key), Map.of())));
        value(env, "COHERE_API_KEY").ifPresent(key -> out.add(new ProviderConfig("cohere", "cohere",
                URI.create("https://api.cohere.com"), Optional.of(key), Map.of())));
        value(env, "OLLAMA_HOST").ifPresent(host -> out.add(new ProviderConfig("ollama", "ollama", ollamaUri(host),
                Optional.empty(), Map.of())));
        azure(env).ifPresent(out::add);
        bedrock(env).ifPresent(out::add);
        for (OpenAiCompatible preset : List.of(OpenAiCompatible.MISTRAL, OpenAiCompatible.DEEPSEEK,
                OpenAiCompatible.OPENROUTER, OpenAiCompatible.GROQ, OpenAiCompatible.TOGETHER, OpenAiCompatible.XAI)) {
            preset.apiKeyEnv().flatMap(name -> value(env, name)).ifPresent(key -> out.add(new ProviderConfig(
                    preset.id(), "openai-chat", preset.defaultBaseUrl().orElseThrow(), Optional.of(key),
                    Map.of("preset", preset.id()))));
        }
        return out;
    }

    private static Optional<ProviderConfig> azure(Map<String, String> env) {
        Optional<String> key = value(env, "AZURE_OPENAI_API_KEY");
        Optional<String> endpoint = value(env, "AZURE_OPENAI_ENDPOINT");
        if (key.isEmpty() || endpoint.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("preset", "azure-openai");
        value(env, "AZURE_OPENAI_API_VERSION").ifPresent(v -> settings.put("apiVersion", v));
        value(env, "AZURE_OPENAI_DEPLOYMENT").ifPresent(v -> settings.put("deployment", v));
        return Optional.of(new ProviderConfig("azure-openai", "openai-chat", uri(endpoint.get()), key, settings));
    }

    private static Optional<ProviderConfig> bedrock(Map<String, String> env) {
        Optional<String> region = value(env, "AWS_REGION").or(() -> value(env, "AWS_DEFAULT_REGION"));
        Optional<String> accessKey = value(env, "AWS_ACCESS_KEY_ID");
        Optional<String> secret = value(env, "AWS_SECRET_ACCESS_KEY");
        Optional<String> bearer = value(env, "AWS_BEARER_TOKEN_BEDROCK");
        if (region.isEmpty() || ((accessKey.isEmpty() || secret.isEmpty()) && bearer.isEmpty())) {
            return Optional.empty();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(BedrockProtocol.REGION, region.get());
        if (accessKey.isPresent() && secret.isPresent()) {
            settings.put(BedrockProtocol.ACCESS_KEY_ID, accessKey.get());
            settings.put(BedrockProtocol.SECRET_ACCESS_KEY, secret.get());
            value(env, "AWS_SESSION_TOKEN").ifPresent(t -> settings.put(BedrockProtocol.SESSION_TOKEN, t));
            return Optional.of(new ProviderConfig("bedrock", "bedrock", BedrockProtocol.defaultBaseUrl(region.get()),
                    Optional.empty(), settings));
        }
        return Optional.of(new ProviderConfig("bedrock", "bedrock", BedrockProtocol.defaultBaseUrl(region.get()), bearer,
                settings));
    }

    private static URI ollamaUri(String host) {
        String h = host.strip();
        if (!h.contains("://")) {
            h = "http://" + (h.startsWith("0.0.0.0") ? "127.0.0.1" + h.substring(7) : h);
        }
        URI uri = uri(h);
        return uri.getPort() < 0 && uri.getPath().isEmpty() ? URI.create(h + ":11434") : uri;
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("not a valid base URL in the environment: '" + text + "'");
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
