package io.aistream.server.assembly;

import io.aistream.request.ChatRequest;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.openai.OpenAiChatRequestReader;

/**
 * The gateway endpoints' own request readers, for tools that show what an endpoint would do with a
 * body without running a gateway ({@code aistream request --openai}). Stateless, thread-safe.
 */
public final class EndpointRequests {
    private EndpointRequests() {}

    /**
     * Reads an OpenAI Chat Completions body exactly as {@code /v1/chat/completions} does: same rules,
     * same field errors. The request's model is the body's {@code model} text as given.
     *
     * @param body the UTF-8 JSON body
     * @return the request
     * @throws InvalidRequestException naming the parameter and the problem, in the endpoint's words
     */
    public static ChatRequest openAiChat(byte[] body) {
        return OpenAiChatRequestReader.read(body);
    }
}
