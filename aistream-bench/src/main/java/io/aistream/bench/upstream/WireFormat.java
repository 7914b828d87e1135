package io.aistream.bench.upstream;

import io.aistream.bench.http.Bytes;
import io.aistream.json.Jackson;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one stream's events look on the wire. Each method appends one message's payload (an SSE
 * event block, or a WebSocket message) to {@code b}; the stamp position is left for the caller.
 * Everything that does not change between chunks is encoded once per stream.
 */
abstract sealed class WireFormat {
    static final JsonMapper JSON = Jackson.mapper();
    static final byte[] FILLER_TEXT = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
            .getBytes(StandardCharsets.US_ASCII);

    /** Opening message(s) before the first content chunk, or nothing. */
    abstract void head(Bytes b);

    /** A content chunk up to (not including) the stamp. */
    abstract void contentPrefix(Bytes b, int seq);

    /** The rest of a content chunk after the stamp and the filler. */
    abstract void contentSuffix(Bytes b);

    /** The terminal message(s): finish, usage, done. */
    abstract void tail(Bytes b, int chunks);

    static byte[] jsonString(String s) {
        return JSON.writeValueAsBytes(s);
    }

    static byte[] filler(int size) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = FILLER_TEXT[i % FILLER_TEXT.length];
        }
        return f;
    }

    /** OpenAI Chat Completions {@code chat.completion.chunk} events and {@code data: [DONE]}. */
    static final class OpenAi extends WireFormat {
        private final byte[] common;
        private static final byte[] ROLE = ascii(
                "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        private static final byte[] CONTENT_OPEN = ascii("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
        private static final byte[] CONTENT_CLOSE = ascii("\"},\"finish_reason\":null}]}\n\n");
        private static final byte[] FINISH =
                ascii("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");

        OpenAi(long id, String model) {
            Bytes b = new Bytes(160);
            b.ascii("data: {\"id\":\"chatcmpl-bench")
                    .decimal(id)
                    .ascii("\",\"object\":\"chat.completion.chunk\",\"created\":")
                    .decimal(System.currentTimeMillis() / 1000)
                    .ascii(",\"model\":")
                    .append(jsonString(model))
                    .ascii(",");
            common = java.util.Arrays.copyOf(b.array(), b.length());
        }

        @Override
        void head(Bytes b) {
            b.append(common).append(ROLE);
        }

        @Override
        void contentPrefix(Bytes b, int seq) {
            b.append(common).append(CONTENT_OPEN);
        }

        @Override
        void contentSuffix(Bytes b) {
            b.append(CONTENT_CLOSE);
        }

        @Override
        void tail(Bytes b, int chunks) {
            b.append(common).append(FINISH);
            b.append(common)
                    .ascii("\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":")
                    .decimal(chunks)
                    .ascii(",\"total_tokens\":")
                    .decimal(chunks + 8L)
                    .ascii("}}\n\n");
            b.ascii("data: [DONE]\n\n");
        }
    }

    /**
     * aistream's native chunks: as SSE ({@code id: seq}, {@code data: chunk}, {@code data: [DONE]}),
     * or, with a stream tag, as WebSocket messages ({@code {"stream":"s1",…chunk fields}}).
     */
    static final class Native extends WireFormat {
        private final byte[] open;
        private final byte[] model;
        private final boolean sse;

        Native(long id, String model, String wsStream) {
            this.sse = wsStream == null;
            Bytes b = new Bytes(64);
            b.ascii("{");
            if (!sse) {
                b.ascii("\"stream\":").append(jsonString(wsStream)).ascii(",");
            }
            b.ascii("\"id\":\"st_bench").decimal(id).ascii("\",\"seq\":");
            this.open = java.util.Arrays.copyOf(b.array(), b.length());
            this.model = jsonString(model);
        }

        private void start(Bytes b, int seq) {
            if (sse) {
                b.ascii("id: ").decimal(seq).ascii("\ndata: ");
            }
            b.append(open).decimal(seq);
        }

        @Override
        void head(Bytes b) {
            if (sse) {
                b.ascii("retry: 3000\n\n");
            }
        }

        @Override
        void contentPrefix(Bytes b, int seq) {
            start(b, seq);
            b.ascii(",\"type\":\"content\",\"delta\":\"");
        }

        @Override
        void contentSuffix(Bytes b) {
            b.ascii(sse ? "\"}\n\n" : "\"}");
        }

        @Override
        void tail(Bytes b, int chunks) {
            start(b, chunks);
            b.ascii(",\"type\":\"done\",\"finishReason\":\"stop\",\"usage\":{\"inputTokens\":8,\"outputTokens\":")
                    .decimal(chunks)
                    .ascii(",\"totalTokens\":")
                    .decimal(chunks + 8L)
                    .ascii("},\"provider\":\"bench\",\"model\":")
                    .append(model)
                    .ascii("}");
            if (sse) {
                b.ascii("\n\ndata: [DONE]\n\n");
            }
        }
    }

    /**
     * The AI SDK UI message stream the gateway's {@code /v1/ui/chat} writes: {@code start},
     * {@code start-step}, one text part ({@code text-start}, a {@code text-delta} per chunk,
     * {@code text-end}), {@code finish-step}, {@code finish}, {@code data: [DONE]}.
     */
    static final class Ui extends WireFormat {
        private static final byte[] DELTA_OPEN = ascii("data: {\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"");
        private static final byte[] DELTA_CLOSE = ascii("\"}\n\n");
        private final long id;

        Ui(long id) {
            this.id = id;
        }

        @Override
        void head(Bytes b) {
            b.ascii("data: {\"type\":\"start\",\"messageId\":\"msg_bench")
                    .decimal(id)
                    .ascii("\"}\n\ndata: {\"type\":\"start-step\"}\n\n")
                    .ascii("data: {\"type\":\"text-start\",\"id\":\"text-0\"}\n\n");
        }

        @Override
        void contentPrefix(Bytes b, int seq) {
            b.append(DELTA_OPEN);
        }

        @Override
        void contentSuffix(Bytes b) {
            b.append(DELTA_CLOSE);
        }

        @Override
        void tail(Bytes b, int chunks) {
            b.ascii("data: {\"type\":\"text-end\",\"id\":\"text-0\"}\n\n")
                    .ascii("data: {\"type\":\"finish-step\"}\n\n")
                    .ascii("data: {\"type\":\"finish\",\"finishReason\":\"stop\"}\n\n")
                    .ascii("data: [DONE]\n\n");
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
