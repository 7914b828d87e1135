package io.aistream.server.openai;

import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;

/**
 * Reads an OpenAI Chat Completions request body exactly as the gateway's
 * {@code /v1/chat/completions} endpoint does (same rules, same field errors), for tools that show
 * what the endpoint would do with it ({@code aistream request --openai}). Stateless, thread-safe.
 */
public final class OpenAiChatRequestReader {
    private OpenAiChatRequestReader() {}

    /**
     * The request the endpoint would stream, its model set to the body's {@code model} text as given
     * (the endpoint resolves it as {@code provider/model}, an alias or a chain).
     *
     * @param body the UTF-8 JSON body
     * @return the request
     * @throws InvalidRequestException naming the parameter (or none, for unparsable JSON) and the
     *                                 problem, in the endpoint's words
     */
    public static ChatRequest read(byte[] body) {
        OpenAiRequest request;
        try {
            request = OpenAiRequest.parse(ChatRequestJson.readTree(body));
        } catch (OpenAiError.Failure e) {
            OpenAiError error = e.error();
            throw new InvalidRequestException(error.param().orElse(""), error.message());
        }
        return request.request().toBuilder().model(request.model()).build();
    }
}
