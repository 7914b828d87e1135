package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_PROPERTIES)
class SeedsTest {
    private final String before = System.getProperty(Seeds.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Seeds.PROPERTY);
        } else {
            System.setProperty(Seeds.PROPERTY, before);
        }
    }

    @Test
    void withoutThePropertyTheSeedIsTheFixedDefault() {
        System.clearProperty(Seeds.PROPERTY);

        Seed seed = Seeds.seed("a test", 42L);

        assertThat(seed.value()).isEqualTo(42L);
        assertThat(seed.overridden()).isFalse();
        assertThat(seed.random().nextLong()).isEqualTo(new java.util.SplittableRandom(42L).nextLong());
        assertThat(seed).hasToString("a test: seed 42 (replay with -Daistream.seed=42)");
    }

    @Test
    void aDefaultDerivedFromTheNameIsStableAndDiffersByName() {
        System.clearProperty(Seeds.PROPERTY);

        assertThat(Seeds.seed("one").value())
                .isEqualTo(Seeds.seed("one").value())
                .isEqualTo(Seeds.defaultFor("one"));
        assertThat(Seeds.seed("one").value()).isNotEqualTo(Seeds.seed("two").value());
        // FNV-1a 64 of "a": pinned, so the derived seeds never change between versions
        assertThat(Seeds.defaultFor("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    }

    @Test
    void thePropertyOverridesEverySeed() {
        System.setProperty(Seeds.PROPERTY, "123");

        assertThat(Seeds.seed("x", 42L).value()).isEqualTo(123L);
        assertThat(Seeds.seed("y").value()).isEqualTo(123L);
        assertThat(Seeds.seed("x", 42L).overridden()).isTrue();
        assertThat(Seeds.seed("x", 42L).toString())
                .contains("from -Daistream.seed")
                .contains("-Daistream.seed=123");

        System.setProperty(Seeds.PROPERTY, "-0x10");
        assertThat(Seeds.seed("x", 42L).value()).isEqualTo(-16L);
    }

    @Test
    void randomDrawsOneSeedForTheWholeRun() {
        System.setProperty(Seeds.PROPERTY, "random");

        long first = Seeds.seed("x", 1).value();

        assertThat(Seeds.seed("y", 2).value()).isEqualTo(first);
    }

    @Test
    void aMalformedPropertyIsAClearError() {
        System.setProperty(Seeds.PROPERTY, "twelve");

        assertThatThrownBy(() -> Seeds.seed("x", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Daistream.seed must be a number or 'random', not 'twelve'");
    }

    @Test
    void checkPutsTheSeedInFrontOfAFailure() {
        System.clearProperty(Seeds.PROPERTY);
        Seed seed = Seeds.seed("mutations", 7L);

        assertThatThrownBy(() -> seed.check(() -> assertThat(1).as("the value").isEqualTo(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("mutations: seed 7 (replay with -Daistream.seed=7): [the value]")
                .cause()
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> seed.check(() -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed 7")
                .hasMessageContaining("boom");
        seed.check(() -> assertThat(1).isEqualTo(1));
    }
}
