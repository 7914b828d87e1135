package io.aistream.spring.boot.tests;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.request.ChatRequest;
import io.aistream.spring.AiStreamResponse;
import io.aistream.spring.AiStreamResponses;
import io.aistream.stream.ChatStream;
import java.util.Optional;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The application the tests run, on Spring MVC or WebFlux (spring.main.web-application-type): one
 * controller that streams the simulated provider's answer in every way a controller can return one,
 * and an ordinary endpoint under /v1 that must stay the application's.
 */
@SpringBootApplication
public class TestApp {
    /** The controller. */
    @RestController
    public static class ChatController {
        private final ProviderRegistry registry;

        public ChatController(ProviderRegistry registry) {
            this.registry = registry;
        }

        private ChatStream echo(String text, String provider, String model) {
            ChatRequest request = ChatRequest.builder().user(text).build();
            return ChatStream.builder(
                            registry.open(registry.resolve(Optional.of(provider), Optional.of(model)), request))
                    .build();
        }

        @PostMapping("/chat/native")
        public ChatStream nativeSse(
                @RequestBody String text,
                @RequestParam(name = "provider", defaultValue = "simulated") String provider,
                @RequestParam(name = "model", defaultValue = "echo") String model) {
            return echo(text, provider, model);
        }

        @PostMapping("/chat/openai")
        public AiStreamResponse openAi(@RequestBody String text) {
            return AiStreamResponses.openAi(echo(text, "simulated", "echo"), "echo");
        }

        @PostMapping("/chat/ui")
        public AiStreamResponse ui(@RequestBody String text) {
            return AiStreamResponses.uiMessageStream(echo(text, "simulated", "echo"), "simulated", "echo");
        }

        @PostMapping("/chat/flux")
        public Flux<StreamChunk> flux(@RequestBody String text) {
            return Flux.just(
                    StreamChunk.class.cast(io.aistream.chunk.ContentChunk.of(text)),
                    io.aistream.chunk.DoneChunk.of(io.aistream.chunk.FinishReason.STOP));
        }

        @PostMapping("/chat/mono")
        public Mono<ChatStream> mono(@RequestBody String text) {
            return Mono.fromSupplier(() -> echo(text, "simulated", "echo"));
        }

        @GetMapping("/v1/app/hello")
        public String hello() {
            return "hello from the app";
        }
    }
}
