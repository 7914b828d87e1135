package io.aistream.provider.replay;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.ResponseSummary;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FixtureHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplayProviderTest {
    private static final FixtureHarness.Fixture THINKING =
            HARNESS.fixtures("anthropic", n -> n.equals("thinking.sse")).get(0);
    private static final Path ROOT = THINKING.transcript().getParent().getParent();

    private static ChatRequest request(String model, String protocol, int chunkBytes, int intervalMs) {
        return ChatRequest.builder()
                .model(model)
                .user("ignored")
                .providerOption("protocol", StringNode.valueOf(protocol))
                .providerOption("chunkBytes", IntNode.valueOf(chunkBytes))
                .providerOption("intervalMs", IntNode.valueOf(intervalMs))
                .build();
    }

    @Test
    void playsATranscriptThroughTheRealDecoderInSmallReads() {
        ReplayProvider replay = new ReplayProvider(ROOT, ProtocolCatalog::byId, TimeSource.system());

        try (ChatStream s = ChatStream.builder(replay.open(request("anthropic/thinking.sse", "anthropic", 5, 0)))
                .build()) {
            List<StreamChunk> chunks = s.stream().toList();
            FixtureHarness.assertMatches(ResponseSummary.of(chunks), THINKING.expectedJson(), "replay");
        }
    }

    @Test
    void readsArePacedOnTheInjectedClock() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        ReplayProvider replay = new ReplayProvider(ROOT, ProtocolCatalog::byId, time);
        ChunkSource source = replay.open(request("anthropic/thinking.sse", "anthropic", 1 << 20, 250));
        // the whole body fits one read: the first read happens at once, then end() needs no pause
        CompletableFuture<Optional<StreamChunk>> first = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return source.next();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
        assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();

        ChunkSource slow = replay.open(request("anthropic/thinking.sse", "anthropic", 16, 250));
        CompletableFuture<Integer> count = CompletableFuture.supplyAsync(
                () -> {
                    int n = 0;
                    try {
                        while (slow.next().isPresent()) {
                            n++;
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return n;
                },
                r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        assertThat(count).isNotDone();
        while (!count.isDone()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1 || count.isDone());
            time.advance(Duration.ofMillis(250));
        }
        assertThat(count.get()).isPositive();
    }

    @Test
    void refusesPathsOutsideTheRootAndUnknownProtocols() {
        ReplayProvider replay = new ReplayProvider(ROOT, ProtocolCatalog::byId, TimeSource.system());

        assertThatThrownBy(() -> replay.open(request("../../../../pom.xml", "anthropic", 64, 0)))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("outside the replay root");
        assertThatThrownBy(() -> replay.open(request("anthropic/nope.sse", "anthropic", 64, 0)))
                .hasMessageContaining("no transcript");
        assertThatThrownBy(() -> replay.open(request("anthropic/text.sse", "acme", 64, 0)))
                .hasMessageContaining("unknown protocol 'acme'");
        assertThatThrownBy(() -> replay.open(request("anthropic/text.sse", "anthropic", 0, 0)))
                .hasMessageContaining("chunkBytes");
    }
}
