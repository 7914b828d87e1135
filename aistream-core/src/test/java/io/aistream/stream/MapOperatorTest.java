package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MapOperatorTest {

    @Test
    void mapsEveryItemInOrder() {
        try (PullStream<String> out =
                StreamOperators.map(StreamOperators.fromIterable(List.of(1, 2, 3)), i -> "#" + i)) {
            assertThat(out.stream().toList()).containsExactly("#1", "#2", "#3");
        }
    }

    @Test
    void errorHandlerMayReplaceOrSkipAnItem() {
        List<String> seen = new ArrayList<>();
        PullStream<Integer> in = StreamOperators.fromIterable(List.of(1, 0, 2, -1, 4));
        try (PullStream<Integer> out = StreamOperators.map(
                in,
                i -> {
                    if (i < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    return 12 / i;
                },
                (item, e) -> {
                    seen.add(item + ":" + e.getClass().getSimpleName());
                    return item == 0 ? Optional.of(Integer.MAX_VALUE) : Optional.empty();
                })) {
            assertThat(out.stream().toList()).containsExactly(12, Integer.MAX_VALUE, 6, 3);
        }
        assertThat(seen).containsExactly("0:ArithmeticException", "-1:IllegalArgumentException");
    }

    @Test
    void nullResultGoesToTheErrorHandler() {
        PullStream<String> in = StreamOperators.fromIterable(List.of("a", "b"));
        try (PullStream<String> out = StreamOperators.map(
                in,
                s -> s.equals("a") ? null : s,
                (s, e) -> Optional.of(e.getClass().getSimpleName()))) {
            assertThat(out.stream().toList()).containsExactly("NullPointerException", "b");
        }
    }

    @Test
    void throwingErrorHandlerFailsTheStreamAndClosesUpstream() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1, 2, 3);
        IllegalStateException fatal = new IllegalStateException("give up");
        PullStream<Integer> out = StreamOperators.map(
                in,
                i -> {
                    if (i == 2) {
                        throw new IllegalArgumentException("bad item");
                    }
                    return i;
                },
                (item, e) -> {
                    throw fatal;
                });
        assertThat(out.next()).contains(1);
        assertThatThrownBy(out::next).isSameAs(fatal);
        assertThat(in.closed()).isTrue();
        assertThatThrownBy(out::next).isSameAs(fatal);
        out.close();
        assertThat(out.next()).isEmpty();
    }

    @Test
    void plainMapPropagatesTheFunctionsException() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1, 2, 3);
        PullStream<Integer> out = StreamOperators.map(in, i -> {
            if (i == 2) {
                throw new IllegalArgumentException("bad item");
            }
            return i * 10;
        });
        assertThat(out.next()).contains(10);
        assertThatThrownBy(out::next)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad item");
        assertThat(in.closed()).isTrue();
    }

    @Test
    void upstreamFailurePassesThroughWithoutTheErrorHandler() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1);
        in.fail(new IllegalStateException("upstream"));
        List<Integer> handled = new ArrayList<>();
        try (PullStream<Integer> out = StreamOperators.map(in, i -> i, (i, e) -> {
            handled.add(i);
            return Optional.empty();
        })) {
            assertThat(out.next()).contains(1);
            assertThatThrownBy(out::next)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("upstream");
        }
        assertThat(handled).isEmpty();
    }

    @Test
    void closeClosesUpstream() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1, 2);
        PullStream<Integer> out = StreamOperators.map(in, i -> i);
        out.close();
        assertThat(in.closed()).isTrue();
        assertThat(out.next()).isEmpty();
    }

    @Test
    void fromIterableEndsOnCloseAndRejectsNullElements() {
        PullStream<Integer> s = StreamOperators.fromIterable(List.of(1, 2));
        assertThat(s.next()).contains(1);
        s.close();
        assertThat(s.next()).isEmpty();

        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        PullStream<String> bad = StreamOperators.fromIterable(withNull);
        assertThatThrownBy(bad::next).isInstanceOf(NullPointerException.class);
    }
}
