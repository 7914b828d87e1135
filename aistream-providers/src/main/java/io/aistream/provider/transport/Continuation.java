package io.aistream.provider.transport;

import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import java.util.ArrayList;
import java.util.List;

/** Builds the request that continues a cut answer. */
final class Continuation {
    /** The instruction used where the protocol cannot continue an assistant prefix. */
    static final String INSTRUCTION = "Your previous answer was cut off. Continue exactly where it stopped, "
            + "without repeating anything already written and without any preamble.";

    private Continuation() {}

    /**
     * {@code request} extended with the partial answer: as a trailing assistant prefix when the
     * protocol supports prefill (merged into a trailing assistant prefix the caller already had),
     * otherwise as an assistant message followed by {@link #INSTRUCTION}.
     */
    static ChatRequest of(ChatRequest request, String partial, boolean prefill) {
        if (prefill) {
            return request.withAssistantPrefill(partial);
        }
        List<Message> messages = new ArrayList<>(request.messages());
        messages.add(Message.assistant(partial));
        messages.add(Message.user(INSTRUCTION));
        return request.withMessages(messages);
    }
}
