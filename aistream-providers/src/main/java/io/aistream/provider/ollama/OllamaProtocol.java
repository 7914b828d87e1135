package io.aistream.provider.ollama;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Endpoints;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ollama's native chat API, protocol id {@value #ID}: {@code POST {baseUrl}/api/chat}, streamed as
 * NDJSON. (Ollama's OpenAI-compatible endpoint is served by the OpenAI Chat protocol instead.)
 *
 * <p><b>Request.</b> No authentication locally; when the config has a key (ollama.com) it is sent as
 * {@code Authorization: Bearer}. A base URL ending in {@code /api} is not doubled. The body mapping is
 * described on {@code OllamaRequestMapper}: messages with base64 {@code images}, tools, tool calls and
 * results, {@code options} (temperature, top_p, num_predict, stop), {@code think} levels,
 * {@code stream: true}, provider options merged in last.
 *
 * <p><b>Response.</b> {@link OllamaStreamDecoder}: {@code message.content} → content,
 * {@code message.thinking} → reasoning, {@code message.tool_calls[]} → whole tool calls. Finish
 * reasons from {@code done_reason} on the {@code done: true} line: {@code stop} → {@code stop} (or
 * {@code tool_calls} when calls were made), {@code length} → {@code length}, {@code load},
 * {@code unload} and others → {@code other}. Usage: {@code prompt_eval_count} → input,
 * {@code eval_count} → output. A mid-stream {@code {"error": "..."}} line → error of type
 * {@code provider_error}, then {@code done}/{@code error}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OllamaProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "ollama";
    /** A local Ollama server's address, for configurations that give none. */
    public static final URI DEFAULT_BASE_URL = URI.create("http://127.0.0.1:11434");

    /** The protocol; it holds no state. */
    public OllamaProtocol() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        String model = request.model()
                .filter(m -> !m.isBlank())
                .orElseThrow(() -> new UnsupportedOptionException(config.name(), "model", "Ollama needs a model name"));
        byte[] body =
                OllamaLineReader.JSON.writeValueAsBytes(new OllamaRequestMapper(config.name()).body(request, model));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("application/x-ndjson"));
        config.apiKey()
                .filter(k -> !k.isBlank())
                .ifPresent(key -> headers.put("Authorization", List.of("Bearer " + key)));
        return new UpstreamRequest(endpoint(config.baseUrl()), headers, body);
    }

    static URI endpoint(URI baseUrl) {
        String base = Endpoints.trimmed(baseUrl);
        return URI.create(base.endsWith("/api") ? base + "/chat" : base + "/api/chat");
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new OllamaStreamDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return OllamaErrors.toException(config.name(), status, headers, body, config.apiKey());
    }
}
