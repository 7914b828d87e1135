package io.aistream.provider.openai;

import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI Chat Completions ({@code POST {baseUrl}/chat/completions} with {@code stream: true}) for
 * OpenAI and the OpenAI-compatible servers named by {@link OpenAiCompatible}; protocol id
 * {@value #ID}. One instance serves one preset: build it with {@code new OpenAiChatProtocol(preset)}
 * (the registry can pick the preset with {@link OpenAiCompatible#forConfig}).
 *
 * <p>Request mapping: the system prompt becomes a {@code system} message; user text and images
 * ({@code image_url}, inline data as {@code data:} URLs); assistant turns with {@code tool_calls};
 * tool results as {@code tool} messages; tools as {@code type: function}; tool choice
 * {@code auto|none|required|{function}}; {@code temperature}, {@code top_p}, the preset's output-limit
 * field, {@code stop}, reasoning as the preset takes it; {@code stream_options.include_usage} where
 * the preset accepts it; provider options are set last, verbatim, at the top level. The decoder
 * understands every preset's stream (see {@link OpenAiCompatible}).
 *
 * <p>Stateless and thread-safe.
 */
public final class OpenAiChatProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "openai-chat";
    /** The Azure {@code api-version} used when the {@code apiVersion} setting is absent. */
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

    private static final JsonMapper JSON = Jackson.mapper();

    private final OpenAiCompatible preset;

    /** Plain OpenAI. */
    public OpenAiChatProtocol() {
        this(OpenAiCompatible.OPENAI);
    }

    /** The protocol with one preset's defaults and quirks. */
    public OpenAiChatProtocol(OpenAiCompatible preset) {
        this.preset = Objects.requireNonNull(preset, "preset");
    }

    /** The preset this instance serves. */
    public OpenAiCompatible preset() {
        return preset;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        byte[] body = JSON.writeValueAsBytes(new ChatRequestMapper(preset, config.name()).body(request));
        return new UpstreamRequest(uri(request, config), headers(config), body);
    }

    private URI uri(ChatRequest request, ProviderConfig config) {
        String base = stripSlash(config.baseUrl().toString());
        if (preset == OpenAiCompatible.AZURE_OPENAI) {
            String version = config.setting("apiVersion").orElse(DEFAULT_AZURE_API_VERSION);
            if (version.equals("v1")) {
                return URI.create(base + (base.endsWith("/openai/v1") ? "" : "/openai/v1") + "/chat/completions");
            }
            String deployment = config.setting("deployment")
                    .or(request::model)
                    .orElseThrow(() -> new UnsupportedOptionException(
                            config.name(),
                            "model",
                            "Azure OpenAI needs a deployment: set 'deployment' in the provider settings or a model"));
            return URI.create(base + "/openai/deployments/" + encode(deployment) + "/chat/completions?api-version="
                    + encode(version));
        }
        if (preset.prefill() == OpenAiCompatible.Prefill.PREFIX_FLAG_ON_BETA_PATH
                && ChatRequestMapper.endsWithPrefill(request)
                && !base.endsWith("/beta")) {
            base += "/beta";
        }
        return URI.create(base + "/chat/completions");
    }

    private Map<String, List<String>> headers(ProviderConfig config) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("text/event-stream"));
        config.apiKey().filter(k -> !k.isEmpty()).ifPresent(key -> {
            if (preset.auth() == OpenAiCompatible.Auth.AZURE_API_KEY) {
                headers.put("api-key", List.of(key));
            } else {
                headers.put("Authorization", List.of("Bearer " + key));
            }
        });
        if (preset == OpenAiCompatible.OPENAI) {
            config.setting("organization").ifPresent(v -> headers.put("OpenAI-Organization", List.of(v)));
            config.setting("project").ifPresent(v -> headers.put("OpenAI-Project", List.of(v)));
        }
        if (preset == OpenAiCompatible.OPENROUTER) {
            config.setting("referer").ifPresent(v -> headers.put("HTTP-Referer", List.of(v)));
            config.setting("title").ifPresent(v -> headers.put("X-Title", List.of(v)));
        }
        return headers;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new OpenAiChatDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return OpenAiErrors.toException(status, headers, body, config);
    }

    @Override
    public boolean supportsAssistantPrefill() {
        return preset.supportsAssistantPrefill();
    }
}
