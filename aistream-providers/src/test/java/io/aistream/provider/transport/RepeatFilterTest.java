package io.aistream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import org.junit.jupiter.api.Test;

class RepeatFilterTest {

    private static String feed(RepeatFilter f, String... deltas) {
        StringBuilder out = new StringBuilder();
        for (String d : deltas) {
            out.append(f.accept(d));
        }
        return out.append(f.release()).toString();
    }

    @Test
    void anExactRepeatOfTheSentTextIsDroppedHoweverItIsSplit() {
        assertThat(feed(new RepeatFilter("Hello, wor"), "Hel", "lo, wo", "rld!"))
                .isEqualTo("ld!");
        assertThat(feed(new RepeatFilter("Hello, wor"), "Hello, wor", "ld!")).isEqualTo("ld!");
        assertThat(feed(new RepeatFilter("Hello, wor"), "Hello, world!")).isEqualTo("ld!");
    }

    @Test
    void aGenuineContinuationIsReleasedAsSoonAsItDiffers() {
        RepeatFilter f = new RepeatFilter("Hello, wor");
        assertThat(f.accept("ld")).isEqualTo("ld");
        assertThat(f.accept("!")).isEqualTo("!");
    }

    @Test
    void textHeldAsAPossibleRepeatIsReleasedWhenItTurnsOutNotToBeOne() {
        RepeatFilter f = new RepeatFilter("Hello, wor");
        assertThat(f.accept("Hel")).isEmpty();
        assertThat(f.holding()).isTrue();
        assertThat(f.accept("p me")).isEqualTo("Help me");
        assertThat(f.accept("!")).isEqualTo("!");
    }

    @Test
    void aShortPrefixStillHeldAtTheEndIsNotLost() {
        assertThat(feed(new RepeatFilter("Hello"), "He")).isEqualTo("He");
    }

    @Test
    void nothingIsFilteredWhenNothingWasSent() {
        RepeatFilter f = new RepeatFilter("");
        assertThat(f.accept("abc")).isEqualTo("abc");
    }

    @Test
    void aPrefillContinuationMergesIntoATrailingAssistantPrefix() {
        ChatRequest request =
                ChatRequest.builder().model("m").user("Write").assistant("Once").build();

        ChatRequest continued = Continuation.of(request, " upon", true);

        assertThat(continued.messages()).containsExactly(Message.user("Write"), Message.assistant("Once upon"));
        assertThat(continued.model()).contains("m");
    }

    @Test
    void withoutPrefillTheContinuationAddsTheAnswerAndAnInstruction() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .system("terse")
                .user("Write")
                .temperature(0.5)
                .build();

        ChatRequest continued = Continuation.of(request, "Once", false);

        assertThat(continued.messages())
                .containsExactly(
                        Message.user("Write"), Message.assistant("Once"), Message.user(Continuation.INSTRUCTION));
        assertThat(continued.system()).contains("terse");
        assertThat(continued.temperature()).hasValue(0.5);
    }
}
