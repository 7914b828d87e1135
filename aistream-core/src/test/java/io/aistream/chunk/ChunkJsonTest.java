package io.aistream.chunk;

import static io.aistream.chunk.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

class ChunkJsonTest {
    private static final JsonFactory JACKSON = Jackson.factory();

    @Test
    void designExamplesParseToTheDocumentedChunks() {
        List<StreamChunk> chunks = Fixtures.chunks("design-examples.jsonl");

        assertThat(chunks)
                .containsExactly(
                        new ContentChunk("st_1", 0, "Hel"),
                        new ReasoningChunk("st_1", 4, "First, "),
                        new ToolCallChunk("st_1", 7, ToolCallDelta.start(0, "call_1", "get_weather", "{\"city\":")),
                        new ErrorChunk(
                                "st_1",
                                9,
                                new ChunkError(
                                        "upstream_overloaded",
                                        "…",
                                        true,
                                        Optional.of("anthropic"),
                                        OptionalInt.of(529))),
                        new DoneChunk(
                                "st_1",
                                10,
                                FinishReason.STOP,
                                Optional.of(new Usage(12, 40, 52)),
                                Optional.of("openai"),
                                Optional.of("gpt-4o-mini"),
                                Optional.empty(),
                                Optional.empty(),
                                0,
                                false));
    }

    @Test
    void designExamplesReserializeByteIdenticallyOnEveryWritePath() throws IOException {
        for (String line : Fixtures.lines("design-examples.jsonl")) {
            StreamChunk chunk = ChunkJson.parse(line);
            byte[] expected = line.getBytes(StandardCharsets.UTF_8);

            assertThat(ChunkJson.toJson(chunk)).isEqualTo(line);
            assertThat(ChunkJson.toJsonBytes(chunk)).isEqualTo(expected);
            assertThat(viaJacksonGenerator(chunk)).isEqualTo(expected);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChunkJson.write(chunk, out);
            assertThat(out.toByteArray()).isEqualTo(expected);
            assertThat(ChunkJson.parse(expected)).isEqualTo(chunk);
        }
    }

    @Test
    void doneWritesContentDroppedAndRecoveredOnlyWhenSet() {
        DoneChunk bare = DoneChunk.of(FinishReason.LENGTH).withPosition("st_2", 3);
        assertThat(ChunkJson.toJson(bare))
                .isEqualTo(json("{'id':'st_2','seq':3,'type':'done','finishReason':'length'}"));

        DoneChunk full = bare.withDropped("all the text", 17).withRecovered(true);
        assertThat(ChunkJson.toJson(full))
                .isEqualTo(json("{'id':'st_2','seq':3,'type':'done','finishReason':'length',"
                        + "'content':'all the text','dropped':17,'recovered':true}"));
        assertThat(ChunkJson.parse(ChunkJson.toJson(full))).isEqualTo(full);

        DoneChunk contentButNoneDropped = bare.withDropped("", 0);
        assertThat(ChunkJson.toJson(contentButNoneDropped))
                .isEqualTo(json("{'id':'st_2','seq':3,'type':'done','finishReason':'length','content':''}"));
    }

    @Test
    void toolCallOmitsAbsentIdNameAndEmptyArguments() {
        ToolCallChunk bare = new ToolCallChunk("st_1", 8, ToolCallDelta.arguments(2, ""));
        assertThat(ChunkJson.toJson(bare))
                .isEqualTo(json("{'id':'st_1','seq':8,'type':'tool_call','toolCall':{'index':2}}"));
        assertThat(ChunkJson.parse(ChunkJson.toJson(bare))).isEqualTo(bare);
    }

    @Test
    void errorAlwaysWritesRetryableAndOmitsAbsentProviderAndStatus() {
        ErrorChunk e = new ErrorChunk(
                "st_1",
                2,
                new ChunkError("idle_timeout", "no chunk for 30s", false, Optional.empty(), OptionalInt.empty()));
        assertThat(ChunkJson.toJson(e))
                .isEqualTo(
                        json(
                                "{'id':'st_1','seq':2,'type':'error','error':{'code':'idle_timeout','message':'no chunk for 30s','retryable':false}}"));
        assertThat(ChunkJson.parse(ChunkJson.toJson(e))).isEqualTo(e);
    }

    @Test
    void readsFieldsInAnyOrder() {
        StreamChunk chunk = ChunkJson.parse(json("{'toolCall':{'argumentsDelta':'{}','name':'f','index':1,'id':'c'},"
                + "'type':'tool_call','seq':5,'id':'st_9'}"));
        assertThat(chunk).isEqualTo(new ToolCallChunk("st_9", 5, ToolCallDelta.start(1, "c", "f", "{}")));
    }

    @Test
    void ignoresUnknownFieldsAtEveryLevel() {
        String withExtras = json("{'v':2,'id':'st_1','extra':{'deep':[1,{'x':null}]},'seq':9,'type':'error',"
                + "'error':{'code':'rate_limited','hint':[true],'message':'slow down','retryable':true,'status':429,"
                + "'more':{'a':1}},'trailer':'x'}");
        StreamChunk chunk = ChunkJson.parse(withExtras);
        assertThat(chunk)
                .isEqualTo(new ErrorChunk(
                        "st_1",
                        9,
                        new ChunkError("rate_limited", "slow down", true, Optional.empty(), OptionalInt.of(429))));

        StreamChunk done = ChunkJson.parse(json("{'id':'s','seq':1,'type':'done','finishReason':'stop',"
                + "'usage':{'inputTokens':1,'cachedTokens':7,'outputTokens':2,'totalTokens':3,'x':{}},'ext':[]}"));
        assertThat(((DoneChunk) done).usage()).contains(new Usage(1, 2, 3));

        StreamChunk tool =
                ChunkJson.parse(json("{'id':'s','seq':1,'type':'tool_call','toolCall':{'index':0,'kind':'fn'}}"));
        assertThat(tool).isEqualTo(new ToolCallChunk("s", 1, ToolCallDelta.arguments(0, "")));
    }

    @Test
    void fieldsOfOtherTypesAreIgnored() {
        StreamChunk chunk = ChunkJson.parse(json("{'id':'s','seq':0,'type':'content','delta':'a','finishReason':'stop',"
                + "'toolCall':{'index':3},'content':'zzz'}"));
        assertThat(chunk).isEqualTo(new ContentChunk("s", 0, "a"));
    }

    @Test
    void nullCountsAsAbsentForOptionalFields() {
        StreamChunk done = ChunkJson.parse(json("{'id':'s','seq':2,'type':'done','finishReason':'stop','usage':null,"
                + "'provider':null,'model':null,'content':null,'dropped':null,'recovered':null}"));
        assertThat(done).isEqualTo(DoneChunk.of(FinishReason.STOP).withPosition("s", 2));
    }

    @Test
    void appliesDefaultsForOmittedOptionalValues() {
        ErrorChunk e = (ErrorChunk) ChunkJson.parse(
                json("{'id':'s','seq':0,'type':'error','error':{'code':'rate_limited','message':'m'}}"));
        assertThat(e.error().retryable()).isTrue();
        ErrorChunk own = (ErrorChunk)
                ChunkJson.parse(json("{'id':'s','seq':0,'type':'error','error':{'code':'vendor_x','message':'m'}}"));
        assertThat(own.error().retryable()).isFalse();

        DoneChunk d = (DoneChunk) ChunkJson.parse(json(
                "{'id':'s','seq':0,'type':'done','finishReason':'other','usage':{'inputTokens':5,'outputTokens':6}}"));
        assertThat(d.usage()).contains(new Usage(5, 6, 11));
    }

    @Test
    void readsEveryFinishReason() {
        for (FinishReason reason : FinishReason.values()) {
            DoneChunk d = DoneChunk.of(reason).withPosition("s", 1);
            assertThat(ChunkJson.parse(ChunkJson.toJson(d))).isEqualTo(d);
        }
    }

    @Test
    void parsesASequenceOfChunksFromOneParser() {
        String lines = String.join("\n", Fixtures.lines("design-examples.jsonl"));
        List<StreamChunk> read = new ArrayList<>();
        try (JsonParser p = JACKSON.createParser(ObjectReadContext.empty(), lines)) {
            while (p.nextToken() != null) {
                read.add(ChunkJson.parse(p));
                assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            }
        }
        assertThat(read).isEqualTo(Fixtures.chunks("design-examples.jsonl"));
    }

    @Test
    void parsesFromAFreshParserAndFromAByteRange() {
        String line = Fixtures.lines("design-examples.jsonl").get(0);
        try (JsonParser p = JACKSON.createParser(ObjectReadContext.empty(), line)) {
            assertThat(ChunkJson.parse(p)).isEqualTo(new ContentChunk("st_1", 0, "Hel"));
        }
        byte[] framed = ("data: " + line + "\n\n").getBytes(StandardCharsets.UTF_8);
        int length = line.getBytes(StandardCharsets.UTF_8).length;
        assertThat(ChunkJson.parse(framed, 6, length)).isEqualTo(new ContentChunk("st_1", 0, "Hel"));
    }

    @Test
    void acceptsSurroundingWhitespace() {
        assertThat(ChunkJson.parse(" \n{\"id\":\"s\",\"seq\":0,\"type\":\"content\",\"delta\":\"\"}\r\n "))
                .isEqualTo(new ContentChunk("s", 0, ""));
    }

    @Test
    void writesThroughACallersGeneratorAsOneValueAmongOthers() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartArray();
            ChunkJson.write(new ContentChunk("s", 0, "a"), g);
            ChunkJson.write(DoneChunk.of(FinishReason.STOP).withPosition("s", 1), g);
            g.writeEndArray();
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        json(
                                "[{'id':'s','seq':0,'type':'content','delta':'a'},{'id':'s','seq':1,'type':'done','finishReason':'stop'}]"));
    }

    static byte[] viaJacksonGenerator(StreamChunk chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(ObjectWriteContext.empty(), out)) {
            ChunkJson.write(chunk, g);
        }
        return out.toByteArray();
    }
}
