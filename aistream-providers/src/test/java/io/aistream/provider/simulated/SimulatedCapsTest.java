package io.aistream.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.request.ChatRequest;
import io.aistream.stream.TimeSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

/**
 * Issue 11: with API keys set, no caller may make the simulated provider burn CPU with unpaced
 * million-token answers. A capped provider refuses (never clamps) a request over a cap, naming the
 * option and the cap.
 */
class SimulatedCapsTest {
    private final SimulatedProvider capped =
            new SimulatedProvider(TimeSource.system(), 40, new SimulatedProvider.Caps(4096, 1000));

    private static ChatRequest lorem(String option, int value) {
        return ChatRequest.builder()
                .model("lorem")
                .user("hi")
                .providerOption(option, IntNode.valueOf(value))
                .build();
    }

    @Test
    void requestsOverACapAreRefusedNamingTheOptionAndTheCap() {
        assertThatThrownBy(() -> capped.open(lorem("length", 1_000_000)))
                .isInstanceOfSatisfying(
                        AIStreamException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName()))
                .hasMessage("simulated option 'length' must be at most 4096 on this gateway");
        assertThatThrownBy(() -> capped.open(lorem("tokensPerSecond", 0)))
                .hasMessage("simulated option 'tokensPerSecond' must be more than 0 and at most 1000 on this gateway"
                        + " (unpaced answers are off)");
        assertThatThrownBy(() -> capped.open(lorem("tokensPerSecond", 1001)))
                .hasMessageContaining("'tokensPerSecond' must be more than 0 and at most 1000");
    }

    @Test
    void requestsWithinTheCapsAndTheDefaultsAreServed() throws Exception {
        capped.open(lorem("length", 4096)).cancel();
        capped.open(lorem("tokensPerSecond", 1000)).cancel();
        capped.open(ChatRequest.builder().model("lorem").user("hi").build()).cancel();
        // uncapped (a loopback development gateway): unpaced and long are fine
        new SimulatedProvider().open(lorem("length", 1_000_000)).cancel();
        new SimulatedProvider().open(lorem("tokensPerSecond", 0)).cancel();
    }

    @Test
    void anUnpacedOrTooFastDefaultCannotBeCapped() {
        assertThatThrownBy(() -> new SimulatedProvider(TimeSource.system(), 0, SimulatedProvider.Caps.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokensPerSecond 0 is not within the cap");
        assertThatThrownBy(() -> new SimulatedProvider(TimeSource.system(), 5000, SimulatedProvider.Caps.DEFAULT))
                .hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> new SimulatedProvider.Caps(0, 10)).hasMessageContaining("maxLength");
        assertThatThrownBy(() -> new SimulatedProvider.Caps(10, 0)).hasMessageContaining("maxTokensPerSecond");
    }
}
