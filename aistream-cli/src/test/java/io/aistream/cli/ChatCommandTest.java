package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.StreamChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatCommandTest {

    @Test
    void streamsTheSimulatedEchoToStdout() {
        CliRun r = CliRun.run("", "chat", "--provider", "simulated", "--model", "echo", "Hello there");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("Hello there\n");
        assertThat(r.err()).contains("[stop, 2 in / 2 out tokens]");
    }

    @Test
    void jsonModePrintsChunkLines() {
        CliRun r = CliRun.run("", "chat", "--json", "a b c");

        List<StreamChunk> chunks = r.out().lines().map(ChunkJson::parse).toList();
        assertThat(chunks).hasSize(4);
        assertThat(chunks.get(3).type().wireName()).isEqualTo("done");
    }

    @Test
    void unknownProviderIsBadInputNamingWhatExists() {
        CliRun r = CliRun.run("", "chat", "--provider", "nope", "hi");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'nope'").contains("simulated");
    }

    @Test
    void aConfigFileThatIsNotJsonIsBadInput() {
        CliRun r = CliRun.run("", "chat", "--model", "lorem", "--config", "/dev/null", "x");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("aistream chat:");
    }
}
