package io.aistream.provider.spi;

import io.aistream.request.ChatRequest;
import java.net.http.HttpHeaders;

/**
 * One provider wire protocol: how to ask for a stream, how to read it, how to read an error.
 * Implementations are stateless and thread-safe; the transport does the HTTP.
 */
public interface ProviderProtocol {

    /** The protocol id, e.g. {@code openai-chat}. */
    String id();

    /**
     * Builds the streaming request for {@code request} (whose model is already resolved).
     *
     * @throws UnsupportedOptionException naming the option when the request uses something this
     *                                    provider cannot honour (never dropped silently)
     */
    UpstreamRequest toRequest(ChatRequest request, ProviderConfig config);

    /**
     * The request {@link #toRequest} would build, made without any network access: for {@code aistream
     * request} (a dry run) and golden tests. A protocol whose credentials need I/O (an OAuth token
     * fetched from a token endpoint) puts a placeholder in their place; every other byte (method, URI,
     * headers, body) is what {@code toRequest} sends. Callers redact credentials before showing it.
     * By default the same as {@code toRequest}.
     */
    default UpstreamRequest toDryRunRequest(ChatRequest request, ProviderConfig config) {
        return toRequest(request, config);
    }

    /** A new decoder for one response body. */
    StreamDecoder newDecoder(DecoderContext context);

    /**
     * Reads a non-2xx response (status, headers, the first part of the body) into a typed error.
     * Must not echo credentials.
     */
    ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config);

    /**
     * Whether a trailing assistant message is treated as a prefix the model continues (Anthropic
     * prefill, Mistral {@code prefix: true}, ...). Recovery uses this to continue a cut answer
     * without repeating it; otherwise it adds a continuation instruction.
     */
    default boolean supportsAssistantPrefill() {
        return false;
    }
}
