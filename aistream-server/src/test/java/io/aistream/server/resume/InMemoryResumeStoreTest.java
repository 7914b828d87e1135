package io.aistream.server.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory store passes the {@link ResumeStoreContract} on virtual time, and counts bytes by footprint. */
@Timeout(30)
class InMemoryResumeStoreTest extends ResumeStoreContract {
    private final VirtualTimeSource clock = new VirtualTimeSource();

    @Override
    protected ResumeStore newStore(int maxChunks, long maxBytes, Duration ttl) {
        return new InMemoryResumeStore(maxChunks, maxBytes, ttl, clock);
    }

    @Override
    protected Duration expiryTtl() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected long nowMillis() {
        return Duration.ofNanos(clock.nanoTime()).toMillis();
    }

    @Override
    protected void elapse(Duration d) {
        clock.advance(d);
    }

    @Override
    protected void eventually(Runnable assertion) {
        assertion.run(); // virtual time: what is due has run
    }

    @Override
    protected void assertNothingKeptOf(ResumeStore store, String streamId) {
        InMemoryResumeStore s = (InMemoryResumeStore) store;
        assertThat(s.totalBytes()).isZero();
        assertThat(s.size()).isZero();
    }

    @Test
    void bytesAreCountedByTheirEstimatedFootprint() {
        long oneChunk = ChunkFootprint.bytes(content("st_c", 0));
        InMemoryResumeStore small = (InMemoryResumeStore) store(1000, 2 * oneChunk, Duration.ofMinutes(1));
        StreamBuffer c = small.create("st_c", "me");
        for (int i = 0; i < 4; i++) {
            c.append(content("st_c", i));
        }
        assertThat(c.oldestSeq()).isEqualTo(2);
        assertThat(small.totalBytes()).isEqualTo(2 * oneChunk);
    }

    @Test
    void aFinishedStreamIsFoundUntilTheLastInstantOfItsTtl() {
        InMemoryResumeStore store = (InMemoryResumeStore) store(100, 1 << 20, Duration.ofSeconds(30));
        StreamBuffer b = store.create("st_d", "owner-1");
        b.append(content("st_d", 0));
        b.append(done("st_d", 1));
        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(store.lookup("st_d")).isInstanceOf(ResumeStore.Lookup.Found.class);
        clock.advance(Duration.ofNanos(1));
        assertThat(store.lookup("st_d")).isEqualTo(new ResumeStore.Lookup.Expired("owner-1"));
    }
}
