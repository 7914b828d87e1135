package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonMutationsTest {
    private static final String DOC = "{\"a\":[1,2,{\"b\":\"c\"}]}";

    @Test
    void theSameSeedGivesTheSameMutations() {
        SplittableRandom one = new SplittableRandom(5);
        SplittableRandom two = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            assertThat(JsonMutations.mutate(DOC, one, "{}[]\",:", 3))
                    .isEqualTo(JsonMutations.mutate(DOC, two, "{}[]\",:", 3));
        }
    }

    @Test
    void editsChangeAtMostTheGivenNumberOfCharactersUsingTheAlphabet() {
        JsonMutations mutations = JsonMutations.seeded("JsonMutationsTest", 11L);
        Set<String> seen = new HashSet<>();
        mutations.seed().check(() -> {
            for (int i = 0; i < 500; i++) {
                String m = mutations.mutate(DOC, "#", 1);
                seen.add(m);
                assertThat(Math.abs(m.length() - DOC.length())).isLessThanOrEqualTo(1);
            }
        });
        assertThat(seen)
                .hasSizeGreaterThan(20)
                .anySatisfy(m -> assertThat(m).contains("#"))
                .anySatisfy(m -> assertThat(m).hasSize(DOC.length() - 1));
    }

    @Test
    void aSeededInstanceDrawsFromItsSeed() {
        JsonMutations a = JsonMutations.seeded("JsonMutationsTest.same", 99L);
        JsonMutations b = JsonMutations.seeded("JsonMutationsTest.same", 99L);

        assertThat(a.mutate(DOC, "x", 4)).isEqualTo(b.mutate(DOC, "x", 4));
        assertThat(a.random().nextInt()).isEqualTo(b.random().nextInt());
        assertThat(a.seed().value())
                .isEqualTo(Seeds.seed("JsonMutationsTest.same", 99L).value());
    }
}
