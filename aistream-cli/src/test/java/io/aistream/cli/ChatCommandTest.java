package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.UnknownChunk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void aChunkTypeFromANewerGatewayIsANoteInTextModeAndPrintedWholeInJsonMode() {
        UnknownChunk citation = new UnknownChunk("st_1", 1, "citation", "{\"source\":\"https://x\"}");
        List<StreamChunk> chunks = List.of(
                new ContentChunk("st_1", 0, "Hi"),
                citation,
                DoneChunk.of(FinishReason.STOP).withPosition("st_1", 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChatCommand text = new ChatCommand();

        assertThat(text.print(
                        chunks,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Hi\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[citation chunk, not known to this version]");

        ChatCommand json = new ChatCommand();
        json.json = true;
        out.reset();
        json.print(
                chunks,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList().get(1))
                .isEqualTo("{\"id\":\"st_1\",\"seq\":1,\"type\":\"citation\",\"source\":\"https://x\"}");
    }
}
