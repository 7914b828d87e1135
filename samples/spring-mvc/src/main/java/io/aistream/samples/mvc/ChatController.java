package io.aistream.samples.mvc;

import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /chat} with {@code {"message": "..."}}: the simulated provider's echo, returned as a
 * {@link ChatStream}, which the starter writes as native SSE (ids, keep-alives, {@code [DONE]}) and
 * aborts when the client goes away.
 */
@RestController
public class ChatController {
    private final ProviderRegistry registry;

    /** The registry is the starter's bean, built from {@code aistream.*} properties. */
    public ChatController(ProviderRegistry registry) {
        this.registry = registry;
    }

    /** The question's body. */
    public record Question(String message) {}

    /** Streams the answer to {@code question}; 400 when it has no message. */
    @PostMapping("/chat")
    public ChatStream chat(@RequestBody Question question) {
        if (question.message() == null || question.message().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'message' is required");
        }
        ChatRequest request = ChatRequest.builder().user(question.message()).build();
        var echo = registry.resolve(Optional.of("simulated"), Optional.of("echo"));
        return ChatStream.builder(registry.open(echo, request)).build();
    }
}
