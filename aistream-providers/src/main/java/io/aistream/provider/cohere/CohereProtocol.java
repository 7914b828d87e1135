package io.aistream.provider.cohere;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Endpoints;
import io.aistream.provider.support.Json;
import io.aistream.request.ChatRequest;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cohere's v2 Chat API, protocol id {@value #ID}: {@code POST {baseUrl}/v2/chat} with
 * {@code "stream": true} and {@code Authorization: Bearer <key>}, read by {@link CohereDecoder}.
 *
 * <p><b>Request mapping.</b>
 * <ul>
 *   <li>{@code system} → a leading {@code system} message; user messages → {@code content} parts
 *       {@code text} and {@code image_url} (inline images as {@code data:} URLs); an assistant turn →
 *       {@code content} text, or, when it made tool calls, {@code tool_plan} (its text) plus
 *       {@code tool_calls[{id, type: function, function: {name, arguments}}]} (arguments as JSON text);
 *       an assistant turn with neither text nor calls is left out; tool results →
 *       {@code {role: tool, tool_call_id, content}}. Cohere has no error flag on tool results, so a
 *       failed one is sent with its content prefixed by {@value CohereRequestMapper#TOOL_ERROR_PREFIX}.</li>
 *   <li>tools → {@code tools[{type: function, function: {name, description, parameters}}]}. Tool
 *       choice: auto is Cohere's default (nothing sent), required → {@code REQUIRED}, none →
 *       {@code NONE}; a specific tool cannot be expressed →
 *       {@link io.aistream.provider.spi.UnsupportedOptionException} naming {@code toolChoice}.</li>
 *   <li>temperature → {@code temperature}, topP → {@code p}, maxOutputTokens → {@code max_tokens},
 *       stop sequences → {@code stop_sequences}, provider options → top-level fields (they win over
 *       mapped ones).</li>
 *   <li>Reasoning → {@code thinking: {type: enabled, token_budget}}: a budget as given; an effort as
 *       minimal 1024, low 2048, medium 8192, high 16384 tokens.</li>
 * </ul>
 *
 * <p><b>Finish reasons.</b> {@code COMPLETE}, {@code STOP_SEQUENCE} → stop; {@code MAX_TOKENS} →
 * length; {@code TOOL_CALL} → tool_calls; {@code ERROR}, {@code TIMEOUT} → error; anything else →
 * other.
 *
 * <p><b>Errors.</b> A non-2xx body {@code {"message": "…"}} becomes a {@link ProviderHttpException}
 * of type {@code provider_error} with the request id from {@code x-request-id}, {@code request-id} or
 * {@code x-debug-trace-id} and any {@code retry-after}/{@code retry-after-ms} hint.
 *
 * <p>Stateless and thread-safe.
 */
public final class CohereProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "cohere";

    private final Clock clock;

    /** The protocol, reading {@code Retry-After} dates against the system clock. */
    public CohereProtocol() {
        this(Clock.systemUTC());
    }

    CohereProtocol(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        byte[] body = Json.MAPPER.writeValueAsBytes(new CohereRequestMapper(config.name()).toJson(request));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("accept", List.of("text/event-stream"));
        config.apiKey().ifPresent(key -> headers.put("authorization", List.of("Bearer " + key)));
        return new UpstreamRequest(Endpoints.append(config.baseUrl(), "/v2/chat"), headers, body);
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new CohereDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return CohereErrors.httpError(status, headers, body, config, clock);
    }
}
