package io.aistream.samples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: {@link ChatController}'s {@code POST /chat}, plus the gateway's endpoints the
 * starter mounts ({@code aistream.endpoints.enabled} in application.yml).
 */
@SpringBootApplication
public class ChatApplication {
    /** Starts the application; {@code --server.port=...} and other Boot arguments pass through. */
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
