package io.aistream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayPathBenchmarkTest {

    @Test
    void bothPathsRelayEveryDeltaAndTheDoneAsNativeSse() {
        RelayPathBenchmark relay = new RelayPathBenchmark();
        relay.provider = "openai-chat";
        relay.setUp(); // throws unless both paths write DELTAS + 1 chunks
        assertThat(relay.decodeAndFrame()).isEqualTo(RelayPathBenchmark.DELTAS + 1);
        assertThat(relay.throughChatStream()).isEqualTo(RelayPathBenchmark.DELTAS + 1);
    }
}
