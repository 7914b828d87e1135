package io.aistream.server.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.memory.MemoryBudget;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory store under a memory budget: every byte counted, finished streams given back first. */
@Timeout(30)
class InMemoryResumeStoreBudgetTest {
    /** 100 characters: 96 + 2 × 100 = 296 estimated bytes per chunk. */
    private static final String TEXT = "x".repeat(100);

    private static final long CHUNK = 296;
    private static final long DONE = 96;

    private final VirtualTimeSource clock = new VirtualTimeSource();

    private static void fill(StreamBuffer b, int chunks, boolean finish) {
        long seq = b.lastSeq() + 1;
        for (int i = 0; i < chunks; i++) {
            b.append(ContentChunk.of(TEXT).withPosition(b.streamId(), seq++));
        }
        if (finish) {
            b.append(DoneChunk.of(FinishReason.STOP).withPosition(b.streamId(), seq));
        }
    }

    @Test
    void everyByteIsCountedAndGivenBackAtExpiry() {
        MemoryBudget budget = new MemoryBudget(1 << 20, 1 << 20);
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofMinutes(1), clock, budget);
        fill(store.create("st_a", "k1"), 10, true);
        fill(store.create("st_b", "k2"), 5, false);

        assertThat(budget.used(MemoryBudget.Pool.RESUME)).isEqualTo(15 * CHUNK + DONE);
        assertThat(budget.usedBy("k1")).isEqualTo(10 * CHUNK + DONE);
        assertThat(budget.usedBy("k2")).isEqualTo(5 * CHUNK);

        clock.advance(Duration.ofMinutes(1));
        assertThat(store.lookup("st_a")).isInstanceOf(ResumeStore.Lookup.Expired.class);
        assertThat(budget.used()).isEqualTo(5 * CHUNK);
        assertThat(budget.usedBy("k1")).isZero();

        store.close();
        assertThat(budget.used()).isZero();
        assertThat(budget.usedBy("k2")).isZero();
    }

    @Test
    void admissionEvictsFinishedStreamsOldestFirst() {
        // room for 40 chunks; resumable streams are admitted below 30
        MemoryBudget budget = new MemoryBudget(40 * CHUNK, 40 * CHUNK);
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofMinutes(5), clock, budget);
        for (String id : new String[] {"st_1", "st_2", "st_3", "st_4"}) {
            fill(store.create(id, "k"), 9, true); // 9 chunks + done each: 36 chunks' worth in all
        }
        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.ADMITTED);

        assertThat(store.lookup("st_1")).isInstanceOf(ResumeStore.Lookup.Expired.class);
        assertThat(store.lookup("st_2")).isInstanceOf(ResumeStore.Lookup.Found.class);
        assertThat(store.lookup("st_4")).isInstanceOf(ResumeStore.Lookup.Found.class);
        assertThat(budget.used()).isEqualTo(3 * (9 * CHUNK + DONE));
    }

    @Test
    void liveStreamsAreNeverEvictedToAdmitAnother() {
        MemoryBudget budget = new MemoryBudget(40 * CHUNK, 40 * CHUNK);
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofMinutes(5), clock, budget);
        StreamBuffer live = store.create("st_live", "k");
        fill(live, 35, false);

        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.OVERLOADED);
        assertThat(store.lookup("st_live")).isInstanceOf(ResumeStore.Lookup.Found.class);
        assertThat(live.oldestSeq()).isZero();
    }

    @Test
    void aLiveBufferThatMayNotGrowEvictsItsOwnOldestChunks() throws Exception {
        MemoryBudget budget = new MemoryBudget(20 * CHUNK, 20 * CHUNK);
        InMemoryResumeStore store = new InMemoryResumeStore(1000, 1 << 20, Duration.ofMinutes(5), clock, budget);
        StreamBuffer b = store.create("st_a", "k");
        StreamBuffer.Follower slow = b.follow(-1);
        fill(b, 50, false);

        assertThat(budget.used()).isEqualTo(20 * CHUNK);
        assertThat(b.lastSeq()).isEqualTo(49);
        assertThat(b.oldestSeq()).isEqualTo(30);
        assertThat(budget.squeezes()).isEqualTo(30);
        assertThatThrownBy(slow::next).isInstanceOf(ChunksEvictedException.class);
        b.append(DoneChunk.of(FinishReason.STOP).withPosition("st_a", 50)); // the end always gets in
        assertThat(b.finished()).isTrue();
        Optional<StreamChunk> last = null;
        StreamBuffer.Follower late = b.follow(49);
        last = late.next();
        assertThat(last).get().isInstanceOf(DoneChunk.class);
    }

    @Test
    void aKeysBuffersStayWithinItsShareWhileOthersGrow() {
        MemoryBudget budget = new MemoryBudget(100 * CHUNK, 10 * CHUNK);
        InMemoryResumeStore store = new InMemoryResumeStore(1000, 1 << 20, Duration.ofMinutes(5), clock, budget);
        StreamBuffer greedy = store.create("st_g", "greedy");
        StreamBuffer modest = store.create("st_m", "modest");
        fill(greedy, 30, false);
        fill(modest, 8, false);

        assertThat(budget.usedBy("greedy")).isEqualTo(10 * CHUNK);
        assertThat(budget.usedBy("modest")).isEqualTo(8 * CHUNK);
        assertThat(modest.oldestSeq()).isZero();
    }

    @Test
    void aKeysOwnFinishedStreamsAreGivenBackBeforeItIsRefused() {
        MemoryBudget budget = new MemoryBudget(100 * CHUNK, 10 * CHUNK);
        InMemoryResumeStore store = new InMemoryResumeStore(1000, 1 << 20, Duration.ofMinutes(5), clock, budget);
        fill(store.create("st_other", "other"), 5, true);
        fill(store.create("st_old", "k"), 5, true);
        fill(store.create("st_new", "k"), 4, true);

        assertThat(budget.admit("k", true)).isEqualTo(MemoryBudget.Admission.ADMITTED);

        assertThat(store.lookup("st_old")).isInstanceOf(ResumeStore.Lookup.Expired.class);
        assertThat(store.lookup("st_new")).isInstanceOf(ResumeStore.Lookup.Found.class);
        assertThat(store.lookup("st_other")).isInstanceOf(ResumeStore.Lookup.Found.class);
    }
}
