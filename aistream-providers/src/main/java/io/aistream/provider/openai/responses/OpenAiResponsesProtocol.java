package io.aistream.provider.openai.responses;

import io.aistream.json.Jackson;
import io.aistream.provider.openai.OpenAiCompatible;
import io.aistream.provider.openai.OpenAiErrors;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI Responses API ({@code POST {baseUrl}/responses} with {@code stream: true}); protocol id
 * {@value #ID}.
 *
 * <p>Request mapping: system prompt → {@code instructions}; user turns → {@code input_text} /
 * {@code input_image} parts; assistant turns → an assistant message plus {@code function_call} items;
 * tool results → {@code function_call_output} items; tools → flat {@code type: function} tools with
 * {@code strict: false}; tool choice; {@code temperature}, {@code top_p}, {@code max_output_tokens};
 * reasoning effort → {@code reasoning: {effort, summary: "auto"}} (so reasoning summaries stream);
 * provider options last, verbatim. Stop sequences and reasoning token budgets have no Responses
 * equivalent and are rejected with {@link io.aistream.provider.spi.UnsupportedOptionException}. A
 * configuration whose preset is {@code azure-openai} is called at
 * {@code {baseUrl}/openai/v1/responses} with an {@code api-key} header. No assistant prefill.
 *
 * <p>Stateless and thread-safe.
 */
public final class OpenAiResponsesProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "openai-responses";

    private static final JsonMapper JSON = Jackson.mapper();

    /** The protocol; it has no options of its own. */
    public OpenAiResponsesProtocol() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        byte[] body = JSON.writeValueAsBytes(new ResponsesRequestMapper(config.name()).body(request));
        boolean azure = OpenAiCompatible.forConfig(config) == OpenAiCompatible.AZURE_OPENAI;
        String base = config.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (azure && !base.endsWith("/openai/v1")) {
            base += "/openai/v1";
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("text/event-stream"));
        config.apiKey().filter(k -> !k.isEmpty()).ifPresent(key -> {
            if (azure) {
                headers.put("api-key", List.of(key));
            } else {
                headers.put("Authorization", List.of("Bearer " + key));
            }
        });
        config.setting("organization").ifPresent(v -> headers.put("OpenAI-Organization", List.of(v)));
        config.setting("project").ifPresent(v -> headers.put("OpenAI-Project", List.of(v)));
        return new UpstreamRequest(URI.create(base + "/responses"), headers, body);
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new OpenAiResponsesDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return OpenAiErrors.toException(status, headers, body, config);
    }
}
