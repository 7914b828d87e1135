package io.aistream.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    /** A reclaimer that frees what the test told it it holds, and records what it was asked. */
    private static final class Finished implements MemoryBudget.Reclaimer {
        private final MemoryBudget budget;
        private long held;
        private final List<String> asked = new ArrayList<>();

        Finished(MemoryBudget budget, long held) {
            this.budget = budget;
            this.held = held;
            budget.add(MemoryBudget.Pool.RESUME, held);
            budget.reclaimer(this);
        }

        @Override
        public long reclaim(long bytes) {
            asked.add("all:" + bytes);
            long freed = Math.min(bytes, held);
            held -= freed;
            budget.add(MemoryBudget.Pool.RESUME, -freed);
            return freed;
        }

        @Override
        public long reclaim(String owner, long bytes) {
            asked.add(owner + ":" + bytes);
            return 0;
        }
    }

    @Test
    void admitsResumableStreamsBelowThreeQuartersAndOthersBelowNinetyPercent() {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        budget.add(MemoryBudget.Pool.READ_AHEAD, 800);

        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.OVERLOADED);
        assertThat(budget.admit("k", false)).isEqualTo(MemoryBudget.Admission.ADMITTED);

        budget.add(MemoryBudget.Pool.WEBSOCKET, 150);
        assertThat(budget.admit("k", false)).isEqualTo(MemoryBudget.Admission.OVERLOADED);
        assertThat(budget.refused(MemoryBudget.Admission.OVERLOADED)).isEqualTo(2);

        budget.add(MemoryBudget.Pool.READ_AHEAD, -800);
        budget.add(MemoryBudget.Pool.WEBSOCKET, -150);
        assertThat(budget.used()).isZero();
        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.ADMITTED);
    }

    @Test
    void evictsFinishedBuffersBeforeRefusing() {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        Finished finished = new Finished(budget, 900);

        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.ADMITTED);

        assertThat(finished.asked).containsExactly("all:150"); // down to 750, the resumable threshold
        assertThat(budget.used()).isEqualTo(750);
        assertThat(budget.reclaimedBytes()).isEqualTo(150);
        assertThat(budget.refused(MemoryBudget.Admission.OVERLOADED)).isZero();
    }

    @Test
    void refusesWhenWhatIsRetainedIsLive() {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        Finished finished = new Finished(budget, 0);
        budget.add(MemoryBudget.Pool.READ_AHEAD, 950);

        assertThat(budget.admit("k", false)).isEqualTo(MemoryBudget.Admission.OVERLOADED);
        assertThat(finished.asked).containsExactly("all:50");
    }

    @Test
    void aKeyOverItsShareGetsNoNewResumableStream() {
        MemoryBudget budget = new MemoryBudget(10_000, 1000);
        Finished finished = new Finished(budget, 0);
        MemoryBudget.KeyAccount mine = budget.hold("mine");
        budget.add(mine, 950);

        assertThat(budget.admit("mine", true)).isEqualTo(MemoryBudget.Admission.KEY_FULL);
        assertThat(finished.asked).containsExactly("mine:51");
        assertThat(budget.admit("mine", false)).isEqualTo(MemoryBudget.Admission.ADMITTED);
        assertThat(budget.admit("other", true)).isEqualTo(MemoryBudget.Admission.ADMITTED);
        assertThat(budget.refused(MemoryBudget.Admission.KEY_FULL)).isEqualTo(1);
        assertThat(budget.usedBy("mine")).isEqualTo(950);
        assertThat(budget.used(MemoryBudget.Pool.RESUME)).isEqualTo(950);
    }

    @Test
    void aLiveBufferMustNotGrowPastTheBudgetOrItsKeysShare() {
        MemoryBudget budget = new MemoryBudget(1000, 600);
        MemoryBudget.KeyAccount a = budget.hold("a");
        MemoryBudget.KeyAccount b = budget.hold("b");
        budget.add(a, 550);

        assertThat(budget.mustNotGrow(a, 40)).isFalse();
        assertThat(budget.mustNotGrow(a, 60)).isTrue(); // 610 > 600 for a
        budget.add(b, 400);
        assertThat(budget.mustNotGrow(b, 40)).isFalse(); // 990 <= 1000
        assertThat(budget.mustNotGrow(b, 60)).isTrue(); // 1010 > 1000
        assertThat(budget.squeezes()).isEqualTo(2);
    }

    @Test
    void keyAccountsAreForgottenWhenTheirLastBufferGoes() {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        MemoryBudget.KeyAccount first = budget.hold("k");
        MemoryBudget.KeyAccount second = budget.hold("k");
        assertThat(second).isSameAs(first);
        budget.add(first, 10);
        budget.add(first, -10);
        budget.release(first);
        assertThat(budget.hold("k")).isSameAs(first); // still held once
        budget.release(first);
        budget.release(first);
        assertThat(budget.hold("k")).isNotSameAs(first);
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThatThrownBy(() -> new MemoryBudget(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MemoryBudget(100, 1000).perKeyLimit()).isEqualTo(100);
    }
}
