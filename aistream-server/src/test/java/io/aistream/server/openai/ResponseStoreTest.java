package io.aistream.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ResponseStore}: what it keeps and gives back, per key; its byte bounds and eviction order; expiry on a
 * virtual clock; and that the bytes it reports always add up to what it holds.
 */
class ResponseStoreTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final Duration TTL = Duration.ofMinutes(10);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final AtomicLong counted = new AtomicLong();

    private ResponseStore store(long max, long perKey) {
        return new ResponseStore(max, perKey, TTL, time, counted::addAndGet);
    }

    /** A completed response {@code id} with a message item {@code msg_<id>} of {@code text} and a call {@code fc_<id>}. */
    private static ObjectNode response(String id, String text) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "response");
        ArrayNode output = r.putArray("output");
        ObjectNode msg = output.addObject().put("id", "msg_" + id).put("type", "message");
        msg.put("status", "completed").put("role", "assistant");
        msg.putArray("content").addObject().put("type", "output_text").put("text", text);
        output.addObject()
                .put("id", "fc_" + id)
                .put("type", "function_call")
                .put("status", "completed")
                .put("call_id", "call_" + id)
                .put("name", "f")
                .put("arguments", "{}");
        return r;
    }

    private static ArrayNode input(String text) {
        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("type", "message").put("role", "user").put("content", text);
        return input;
    }

    @Test
    void keepsTheResponseItsItemsAndItsInputForItsOwnerOnly() {
        ResponseStore store = store(1 << 20, 1 << 20);
        assertThat(store.put("alice", response("resp_1", "hello"), input("hi"))).isTrue();

        ResponseStore.Stored stored = store.response("alice", "resp_1").orElseThrow();
        assertThat(stored.response()).isEqualTo(response("resp_1", "hello"));
        assertThat(stored.conversation())
                .extracting(n -> n.path("type").asString())
                .containsExactly("message", "message", "function_call");
        JsonNode item = store.item("alice", "msg_resp_1").orElseThrow();
        assertThat(item.path("content").get(0).path("text").asString()).isEqualTo("hello");
        assertThat(store.item("alice", "fc_resp_1")
                        .orElseThrow()
                        .path("call_id")
                        .asString())
                .isEqualTo("call_resp_1");

        // another key sees nothing, exactly as for ids that never existed
        assertThat(store.response("bob", "resp_1")).isEmpty();
        assertThat(store.item("bob", "msg_resp_1")).isEmpty();
        assertThat(store.delete("bob", "resp_1")).isFalse();
        assertThat(store.item("alice", "msg_nope")).isEmpty();

        assertThat(store.delete("alice", "resp_1")).isTrue();
        assertThat(store.response("alice", "resp_1")).isEmpty();
        assertThat(store.item("alice", "msg_resp_1")).isEmpty();
        assertThat(store.bytes()).isZero();
        assertThat(counted.get()).isZero();
    }

    @Test
    void entriesExpireAfterTheTtlAndASweepGivesTheMemoryBack() {
        ResponseStore store = store(1 << 20, 1 << 20);
        store.put("alice", response("resp_1", "one"), input("a"));
        time.advance(Duration.ofMinutes(6));
        store.put("alice", response("resp_2", "two"), input("b"));
        assertThat(counted.get()).isEqualTo(store.bytes()).isPositive();

        time.advance(Duration.ofMinutes(4).minusNanos(1));
        assertThat(store.item("alice", "msg_resp_1")).isPresent();
        time.advance(Duration.ofNanos(1)); // resp_1 is now exactly TTL old; the sweep ran without any lookup
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.item("alice", "msg_resp_1")).isEmpty();
        assertThat(store.response("alice", "resp_1")).isEmpty();
        assertThat(store.item("alice", "msg_resp_2")).isPresent();
        assertThat(counted.get()).isEqualTo(store.bytes());

        time.advance(Duration.ofMinutes(6));
        assertThat(store.size()).isZero();
        assertThat(counted.get()).isZero();
        assertThat(time.pendingTasks()).isZero(); // nothing left to sweep, nothing scheduled
    }

    @Test
    void theOldestEntriesAreEvictedFirstToStayUnderTheBound() {
        long one = sizeOf("resp_0", "x".repeat(1000));
        ResponseStore store = store(3 * one, 3 * one);
        for (int i = 0; i < 5; i++) {
            store.put("alice", response("resp_" + i, "x".repeat(1000)), input("q"));
            assertThat(store.bytes()).isLessThanOrEqualTo(3 * one);
        }
        assertThat(store.response("alice", "resp_0")).isEmpty();
        assertThat(store.response("alice", "resp_1")).isEmpty();
        assertThat(store.item("alice", "msg_resp_1")).isEmpty();
        assertThat(store.response("alice", "resp_2")).isPresent();
        assertThat(store.response("alice", "resp_4")).isPresent();
        assertThat(counted.get()).isEqualTo(store.bytes());
    }

    @Test
    void aKeyOverItsShareEvictsItsOwnOldestNotOtherKeys() {
        long one = sizeOf("resp_0", "x".repeat(1000));
        ResponseStore store = store(10 * one, 2 * one);
        store.put("bob", response("resp_b", "x".repeat(1000)), input("q"));
        for (int i = 0; i < 4; i++) {
            store.put("alice", response("resp_" + i, "x".repeat(1000)), input("q"));
        }
        assertThat(store.bytes("alice")).isLessThanOrEqualTo(2 * one);
        assertThat(store.response("alice", "resp_1")).isEmpty();
        assertThat(store.response("alice", "resp_2")).isPresent();
        assertThat(store.response("alice", "resp_3")).isPresent();
        assertThat(store.response("bob", "resp_b")).isPresent(); // the oldest of all, but bob is within his share
    }

    @Test
    void aResponseLargerThanOneKeysShareIsNotKept() {
        ResponseStore store = store(100_000, 10_000);
        assertThat(store.put("alice", response("resp_big", "x".repeat(20_000)), input("q")))
                .isFalse();
        assertThat(store.response("alice", "resp_big")).isEmpty();
        assertThat(store.bytes()).isZero();
        assertThat(counted.get()).isZero();
    }

    @Test
    void aFloodOfBigResponsesFromManyKeysStaysUnderTheBound() {
        long seed = System.nanoTime();
        System.out.println("ResponseStoreTest flood seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        long max = 2L << 20;
        ResponseStore store = store(max, max / 2);
        String lastKey = "";
        for (int i = 0; i < 2_000; i++) {
            String text = "y".repeat(random.nextInt(1, 64 * 1024));
            lastKey = "key" + random.nextInt(8);
            assertThat(store.put(lastKey, response("resp_" + i, text), input(text)))
                    .isTrue();
            assertThat(store.bytes()).isLessThanOrEqualTo(max);
            if (i % 100 == 0) {
                time.advance(Duration.ofSeconds(random.nextInt(60)));
            }
        }
        assertThat(counted.get()).isEqualTo(store.bytes());
        assertThat(store.response(lastKey, "resp_1999")).isPresent(); // the newest is always kept
        store.close();
        assertThat(store.bytes()).isZero();
        assertThat(counted.get()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aResponseStoredAgainUnderItsIdReplacesTheOldOne() {
        ResponseStore store = store(1 << 20, 1 << 20);
        store.put("alice", response("resp_1", "old"), input("a"));
        store.put("alice", response("resp_1", "new"), input("b"));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.item("alice", "msg_resp_1")
                        .orElseThrow()
                        .path("content")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("new");
        assertThat(counted.get()).isEqualTo(store.bytes());
    }

    /** What one response of the tests' shape counts. */
    private static long sizeOf(String id, String text) {
        ResponseStore probe = new ResponseStore(1 << 30, 1 << 30, TTL, new VirtualTimeSource(), d -> {});
        probe.put("k", response(id, text), input("q"));
        return probe.bytes();
    }
}
