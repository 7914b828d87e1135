package io.aistream.server.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InMemoryResumeStoreTest {
    private final VirtualTimeSource clock = new VirtualTimeSource();

    private static StreamChunk content(String id, long seq) {
        return ContentChunk.of("c" + seq).withPosition(id, seq);
    }

    private static StreamChunk done(String id, long seq) {
        return DoneChunk.of(FinishReason.STOP).withPosition(id, seq);
    }

    private static List<Long> drain(StreamBuffer.Follower f) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        for (Optional<StreamChunk> c = f.next(); c.isPresent(); c = f.next()) {
            seqs.add(c.get().seq());
        }
        return seqs;
    }

    @Test
    void followerReplaysThenFollowsLiveThenEnds() throws Exception {
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofMinutes(1), clock);
        StreamBuffer b = store.create("st_a", "me");
        b.append(content("st_a", 0));
        b.append(content("st_a", 1));
        StreamBuffer.Follower f = b.follow(0);
        CompletableFuture<List<Long>> seen = CompletableFuture.supplyAsync(() -> {
            try {
                return drain(f);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        b.append(content("st_a", 2));
        b.append(done("st_a", 3));
        assertThat(seen.get(5, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
        assertThat(b.finished()).isTrue();
        assertThat(drain(b.follow(3))).isEmpty();
        assertThat(drain(b.follow(-1))).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void oldestChunksAreEvictedByCountAndBytes() throws Exception {
        InMemoryResumeStore store = new InMemoryResumeStore(3, 1 << 20, Duration.ofMinutes(1), clock);
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

        long oneChunk = ChunkFootprint.bytes(content("st_c", 0));
        InMemoryResumeStore small = new InMemoryResumeStore(1000, 2 * oneChunk, Duration.ofMinutes(1), clock);
        StreamBuffer c = small.create("st_c", "me");
        for (int i = 0; i < 4; i++) {
            c.append(content("st_c", i));
        }
        assertThat(c.oldestSeq()).isEqualTo(2);
        assertThat(small.totalBytes()).isEqualTo(2 * oneChunk);
    }

    @Test
    void finishedStreamsExpireAfterTheirTtl() throws Exception {
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofSeconds(30), clock);
        StreamBuffer b = store.create("st_d", "owner-1");
        b.append(content("st_d", 0));
        clock.advance(Duration.ofMinutes(5)); // not finished: never expires
        assertThat(store.lookup("st_d")).isInstanceOf(ResumeStore.Lookup.Found.class);
        b.append(done("st_d", 1));
        clock.advance(Duration.ofSeconds(29));
        assertThat(store.lookup("st_d")).isInstanceOf(ResumeStore.Lookup.Found.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.lookup("st_d")).isEqualTo(new ResumeStore.Lookup.Expired("owner-1"));
        assertThat(store.lookup("st_never")).isEqualTo(new ResumeStore.Lookup.Unknown());
        assertThat(store.totalBytes()).isZero();
        assertThat(store.size()).isZero();
    }

    @Test
    void appendsMustBeInOrderAndStopAtDone() {
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofSeconds(30), clock);
        StreamBuffer b = store.create("st_e", "me");
        assertThatThrownBy(() -> b.append(content("st_e", 1))).isInstanceOf(IllegalArgumentException.class);
        b.append(content("st_e", 0));
        b.append(done("st_e", 1));
        assertThatThrownBy(() -> b.append(content("st_e", 2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.create("st_e", "me")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAFollowerUnblocksIt() throws Exception {
        InMemoryResumeStore store = new InMemoryResumeStore(100, 1 << 20, Duration.ofSeconds(30), clock);
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
        InMemoryResumeStore store = new InMemoryResumeStore(10_000, 64L << 20, Duration.ofSeconds(30), clock);
        StreamBuffer b = store.create("st_g", "me");
        List<CompletableFuture<List<Long>>> followers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            StreamBuffer.Follower f = b.follow(-1);
            followers.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return drain(f);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    r -> Thread.ofVirtual().start(r)));
        }
        int n = 5000;
        for (int i = 0; i < n; i++) {
            b.append(content("st_g", i));
        }
        b.append(done("st_g", n));
        for (CompletableFuture<List<Long>> f : followers) {
            List<Long> seqs = f.get(10, TimeUnit.SECONDS);
            assertThat(seqs).hasSize(n + 1);
            for (int i = 0; i <= n; i++) {
                assertThat(seqs.get(i)).isEqualTo(i);
            }
        }
    }
}
