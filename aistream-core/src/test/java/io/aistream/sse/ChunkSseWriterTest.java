package io.aistream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSseWriterTest {

    @Test
    void writesTheNativeProtocolFraming() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChunkSseWriter sse = new ChunkSseWriter(out)) {
            sse.writeRetry(3000);
            sse.writeChunk(new ContentChunk("st_1", 0, "Hel"));
            sse.writeKeepAlive();
            sse.writeChunk(DoneChunk.of(FinishReason.STOP, Usage.of(1, 2), "openai", "gpt-4o-mini")
                    .withPosition("st_1", 1));
            sse.writeDone();
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                retry: 3000

                id: 0
                data: {"id":"st_1","seq":0,"type":"content","delta":"Hel"}

                : keepalive

                id: 1
                data: {"id":"st_1","seq":1,"type":"done","finishReason":"stop","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"provider":"openai","model":"gpt-4o-mini"}

                data: [DONE]

                """);
    }

    @Test
    void decodingTheOutputGivesBackEveryChunkWithItsSeqAsEventId() {
        List<StreamChunk> chunks = List.of(
                new ContentChunk("st_9", 0, "line\nbreak\r\nand \"quotes\" 👋"),
                new ContentChunk("st_9", 1, "\u2028\u0000"),
                DoneChunk.of(FinishReason.LENGTH).withPosition("st_9", 2));
        ByteBuffer target = ByteBuffer.allocate(4096);
        ChunkSseWriter sse = ChunkSseWriter.to(target);
        chunks.forEach(sse::writeChunk);
        sse.writeDone();
        sse.flush();
        target.flip();
        byte[] bytes = new byte[target.remaining()];
        target.get(bytes);

        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(bytes))) {
            reader.forEach(events::add);
        }

        assertThat(events).hasSize(4);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(events.get(i).lastEventId()).isEqualTo(Integer.toString(i));
            assertThat(ChunkJson.parse(events.get(i).data())).isEqualTo(chunks.get(i));
        }
        assertThat(events.get(3).data()).isEqualTo("[DONE]");
    }
}
