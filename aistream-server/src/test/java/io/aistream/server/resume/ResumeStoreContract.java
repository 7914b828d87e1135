package io.aistream.server.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResumeStore} must do, whatever keeps its chunks: replay then follow, evict the oldest
 * chunks beyond its chunk and byte bounds (never failing the producer), keep a finished stream for its time
 * to live and then answer {@link ResumeStore.Lookup.Expired}, refuse out-of-order appends, release a closed
 * follower, and give many concurrent followers the same gapless sequence.
 *
 * <p>A subclass supplies the store and its notion of time: virtual time for the in-memory store, the Redis
 * server's clock for Redis (whose keys expire on it). Assertions about expiry never race a wall clock: a
 * stream must still be found <em>unless</em> the store's clock shows its ttl has passed, and its expiry is
 * awaited through {@link #eventually}, which for a real clock polls the observable state.
 *
 * <p>Subclasses are package-private and annotated {@code @Timeout}.
 */
public abstract class ResumeStoreContract {
    private final List<ResumeStore> stores = new ArrayList<>();

    /** For subclasses (which carry the {@code @Timeout}: an annotation here would be exported API). */
    protected ResumeStoreContract() {}

    /** A new, empty store; the contract closes it after the test. */
    protected abstract ResumeStore newStore(int maxChunks, long maxBytes, Duration ttl);

    /** The time to live the expiry test uses: short for a store on a real clock. */
    protected abstract Duration expiryTtl();

    /** The store's clock in milliseconds (the one its ttl runs on). */
    protected abstract long nowMillis();

    /** Lets at least {@code d} pass on the store's clock (advances virtual time; awaits a real clock). */
    protected abstract void elapse(Duration d);

    /** Checks {@code assertion} now (virtual time) or until it holds (a real clock), failing if it never does. */
    protected abstract void eventually(Runnable assertion);

    /** Checks that the store keeps nothing of an expired stream but what tells "expired" from "unknown". */
    protected abstract void assertNothingKeptOf(ResumeStore store, String streamId);

    /** A new store that the contract closes after the test. */
    protected final ResumeStore store(int maxChunks, long maxBytes, Duration ttl) {
        ResumeStore s = newStore(maxChunks, maxBytes, ttl);
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(ResumeStore::close);
    }

    protected static StreamChunk content(String id, long seq) {
        return ContentChunk.of("c" + seq).withPosition(id, seq);
    }

    protected static StreamChunk content(String id, long seq, String text) {
        return ContentChunk.of(text).withPosition(id, seq);
    }

    protected static StreamChunk done(String id, long seq) {
        return DoneChunk.of(FinishReason.STOP).withPosition(id, seq);
    }

    protected static List<Long> drain(StreamBuffer.Follower f) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        for (Optional<StreamChunk> c = f.next(); c.isPresent(); c = f.next()) {
            seqs.add(c.get().seq());
        }
        return seqs;
    }

    private static CompletableFuture<List<Long>> drainAsync(StreamBuffer.Follower f) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return drain(f);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
    }

    @Test
    void followerReplaysThenFollowsLiveThenEnds() throws Exception {
        ResumeStore store = store(100, 1 << 20, Duration.ofMinutes(1));
        StreamBuffer b = store.create("st_a", "me");
        b.append(content("st_a", 0));
        b.append(content("st_a", 1));
        StreamBuffer.Follower f = b.follow(0);
        CompletableFuture<List<Long>> seen = drainAsync(f);
        b.append(content("st_a", 2));
        b.append(done("st_a", 3));
        assertThat(seen.get(5, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
        assertThat(b.finished()).isTrue();
        assertThat(drain(b.follow(3))).isEmpty();
        assertThat(drain(b.follow(-1))).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void aLookedUpBufferShowsWhatTheProducerAppended() throws Exception {
        ResumeStore store = store(100, 1 << 20, Duration.ofMinutes(1));
        StreamBuffer b = store.create("st_l", "owner-l");
        b.append(content("st_l", 0, "hello"));
        StreamBuffer view = ((ResumeStore.Lookup.Found) store.lookup("st_l")).buffer();
        assertThat(view.streamId()).isEqualTo("st_l");
        assertThat(view.owner()).isEqualTo("owner-l");
        assertThat(view.lastSeq()).isZero();
        assertThat(view.oldestSeq()).isZero();
        assertThat(view.finished()).isFalse();
        CompletableFuture<List<Long>> seen = drainAsync(view.follow(-1));
        b.append(content("st_l", 1, " world"));
        b.append(done("st_l", 2));
        assertThat(seen.get(5, TimeUnit.SECONDS)).containsExactly(0L, 1L, 2L);
        StreamBuffer.Follower f = view.follow(-1);
        assertThat(f.next().orElseThrow()).isEqualTo(content("st_l", 0, "hello"));
        assertThat(f.next().orElseThrow()).isEqualTo(content("st_l", 1, " world"));
        assertThat(f.next().orElseThrow()).isInstanceOf(DoneChunk.class);
        assertThat(f.next()).isEmpty();
        assertThat(view.finished()).isTrue();
        assertThat(view.lastSeq()).isEqualTo(2);
    }

    @Test
    void oldestChunksAreEvictedByCount() throws Exception {
        ResumeStore store = store(3, 1 << 20, Duration.ofMinutes(1));
        StreamBuffer b = store.create("st_b", "me");
        StreamBuffer.Follower early = b.follow(-1);
        for (int i = 0; i < 5; i++) {
            b.append(content("st_b", i));
        }
        assertThat(b.oldestSeq()).isEqualTo(2);
        assertThat(b.lastSeq()).isEqualTo(4);
        assertThatThrownBy(early::next)
                .isInstanceOf(ChunksEvictedException.class)
                .hasMessageContaining("oldest kept is 2");
        StreamBuffer.Follower late = b.follow(1);
        assertThat(late.next().orElseThrow().seq()).isEqualTo(2);
    }

    /**
     * Stores count bytes differently (an estimate in memory, the chunk's JSON in Redis), but each counts at
     * least a chunk's text: with chunks of {@code size} characters a store keeps at most {@code maxBytes / size}
     * of them, and always the newest one, even when it alone is over the bound.
     */
    @Test
    void oldestChunksAreEvictedByBytesButTheNewestIsAlwaysKept() throws Exception {
        int size = 2000;
        long maxBytes = 5000;
        ResumeStore store = store(1000, maxBytes, Duration.ofMinutes(1));
        StreamBuffer b = store.create("st_c", "me");
        for (int i = 0; i < 10; i++) {
            b.append(content("st_c", i, Character.toString('a' + i).repeat(size)));
        }
        long kept = b.lastSeq() - b.oldestSeq() + 1;
        assertThat(b.lastSeq()).isEqualTo(9);
        assertThat(kept).isBetween(1L, maxBytes / size);
        StreamBuffer.Follower f = b.follow(b.oldestSeq() - 1);
        for (long seq = b.oldestSeq(); seq <= 9; seq++) {
            assertThat(f.next().orElseThrow())
                    .isEqualTo(content(
                            "st_c", seq, Character.toString('a' + (int) seq).repeat(size)));
        }
        assertThatThrownBy(() -> b.follow(-1).next()).isInstanceOf(ChunksEvictedException.class);

        ResumeStore tiny = store(1000, 100, Duration.ofMinutes(1));
        StreamBuffer t = tiny.create("st_t", "me");
        for (int i = 0; i < 3; i++) {
            t.append(content("st_t", i, "x".repeat(size)));
        }
        assertThat(t.oldestSeq()).isEqualTo(2);
        assertThat(t.follow(1).next().orElseThrow().seq()).isEqualTo(2);
    }

    @Test
    void finishedStreamsExpireAfterTheirTtl() throws Exception {
        Duration ttl = expiryTtl();
        ResumeStore store = store(100, 1 << 20, ttl);
        StreamBuffer b = store.create("st_d", "owner-1");
        b.append(content("st_d", 0));
        elapse(ttl.multipliedBy(10)); // not finished: never expires
        assertThat(store.lookup("st_d")).isInstanceOf(ResumeStore.Lookup.Found.class);
        long beforeDone = nowMillis();
        b.append(done("st_d", 1));
        elapse(ttl.minus(ttl.dividedBy(30)));
        ResumeStore.Lookup late = store.lookup("st_d");
        // found unless the store's clock says the ttl has passed (a real clock may be late; virtual time is not)
        if (nowMillis() - beforeDone < ttl.toMillis()) {
            assertThat(late).isInstanceOf(ResumeStore.Lookup.Found.class);
        }
        elapse(ttl.dividedBy(30));
        eventually(() -> assertThat(store.lookup("st_d")).isEqualTo(new ResumeStore.Lookup.Expired("owner-1")));
        assertThat(store.lookup("st_never")).isEqualTo(new ResumeStore.Lookup.Unknown());
        assertNothingKeptOf(store, "st_d");
    }

    @Test
    void appendsMustBeInOrderAndStopAtDone() {
        ResumeStore store = store(100, 1 << 20, Duration.ofSeconds(30));
        StreamBuffer b = store.create("st_e", "me");
        assertThatThrownBy(() -> b.append(content("st_e", 1))).isInstanceOf(IllegalArgumentException.class);
        b.append(content("st_e", 0));
        assertThatThrownBy(() -> b.append(content("st_e", 0))).isInstanceOf(IllegalArgumentException.class);
        b.append(done("st_e", 1));
        assertThatThrownBy(() -> b.append(content("st_e", 2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.create("st_e", "me")).isInstanceOf(IllegalStateException.class);
        assertThat(b.lastSeq()).isEqualTo(1);
    }

    @Test
    void closingAFollowerUnblocksIt() throws Exception {
        ResumeStore store = store(100, 1 << 20, Duration.ofSeconds(30));
        StreamBuffer b = store.create("st_f", "me");
        StreamBuffer.Follower f = b.follow(-1);
        CompletableFuture<Optional<StreamChunk>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return f.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        f.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void manyConcurrentFollowersSeeTheSameSequence() throws Exception {
        ResumeStore store = store(10_000, 64L << 20, Duration.ofSeconds(30));
        StreamBuffer b = store.create("st_g", "me");
        List<CompletableFuture<List<Long>>> followers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            followers.add(drainAsync(b.follow(-1)));
        }
        int n = 5000;
        for (int i = 0; i < n; i++) {
            b.append(content("st_g", i));
        }
        b.append(done("st_g", n));
        for (CompletableFuture<List<Long>> f : followers) {
            List<Long> seqs = f.get(20, TimeUnit.SECONDS);
            assertThat(seqs).hasSize(n + 1);
            for (int i = 0; i <= n; i++) {
                assertThat(seqs.get(i)).isEqualTo(i);
            }
        }
    }
}
