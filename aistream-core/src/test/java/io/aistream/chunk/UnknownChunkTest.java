package io.aistream.chunk;

import static io.aistream.chunk.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;

/** A chunk type from a newer server is read, carried and written back, never refused. */
class UnknownChunkTest {
    private static final String CITATION = json(
            "{'id':'st_1','seq':3,'type':'citation','source':{'url':'https://x','title':'X'},'delta':{'not':'a string'},"
                    + "'n':1.50,'big':123456789012345678901234567890,'e':1e5,'list':[true,null,-0.0],'s':'é\\u0001'}");

    private static JsonNode tree(String json) {
        return Jackson.mapper().readTree(json);
    }

    @Test
    void anUnknownTypeIsReadAsAnUnknownChunkKeepingEveryOtherField() {
        StreamChunk chunk = ChunkJson.parse(CITATION);

        UnknownChunk u = (UnknownChunk) chunk;
        assertThat(u.id()).isEqualTo("st_1");
        assertThat(u.seq()).isEqualTo(3);
        assertThat(u.wireType()).isEqualTo("citation");
        assertThat(u.type()).isEqualTo(ChunkType.UNKNOWN);
        assertThat(u.isTerminal()).isFalse();
        assertThat(new ArrayList<>(u.fieldsTree().propertyNames()))
                .containsExactly("source", "delta", "n", "big", "e", "list", "s");
        // a known field name means nothing in an unknown chunk: no type check
        assertThat(u.fieldsTree().get("delta").get("not").stringValue()).isEqualTo("a string");
    }

    @Test
    void writingItBackGivesTheSameBytesOnEveryPath() {
        StreamChunk chunk = ChunkJson.parse(CITATION);

        assertThat(ChunkJson.toJson(chunk)).isEqualTo(CITATION);
        assertThat(ChunkJson.toJsonBytes(chunk)).isEqualTo(CITATION.getBytes(StandardCharsets.UTF_8));
        assertThat(ChunkJsonTest.viaJacksonGenerator(chunk)).isEqualTo(CITATION.getBytes(StandardCharsets.UTF_8));
        ChunkJsonWriter reused = new ChunkJsonWriter(16);
        reused.encode(new ContentChunk("s", 0, "x"));
        reused.encode(chunk);
        assertThat(reused.asString()).isEqualTo(CITATION);
        assertThat(ChunkJson.parse(ChunkJson.toJsonBytes(chunk))).isEqualTo(chunk);
    }

    @Test
    void numbersKeepTheirText() {
        String written = ChunkJson.toJson(ChunkJson.parse(CITATION));
        assertThat(written).contains("\"n\":1.50", "\"big\":123456789012345678901234567890", "\"e\":1e5", "-0.0");
    }

    @Test
    void anyLayoutIsWrittenBackAsTheSameJsonValue() {
        String loose = json("""
                { 'source' : {'url':'https://x'} ,
                  'seq': 9, 'type' : 'citation', 's': '\\u00e9\\/', 'id':'a' }
                """);
        StreamChunk chunk = ChunkJson.parse(loose);

        assertThat(chunk)
                .isEqualTo(new UnknownChunk("a", 9, "citation", json("{'source':{'url':'https://x'},'s':'é/'}")));
        assertThat(tree(ChunkJson.toJson(chunk))).isEqualTo(tree(loose));
        // fields that came before the type keep their place among the others
        String typeLast = json("{'id':'a','seq':1,'b':1,'a':{'x':[1]},'type':'citation','c':3}");
        UnknownChunk u = (UnknownChunk) ChunkJson.parse(typeLast);
        assertThat(u.fields()).isEqualTo(json("{'b':1,'a':{'x':[1]},'c':3}"));
        assertThat(ChunkJson.toJson(u))
                .isEqualTo(json("{'id':'a','seq':1,'type':'citation','b':1,'a':{'x':[1]},'c':3}"));
    }

    @Test
    void aKnownTypeAfterOtherFieldsIsReadAsBefore() {
        assertThat(ChunkJson.parse(json("{'delta':'hi','seq':2,'id':'s','type':'content','extra':{'x':1}}")))
                .isEqualTo(new ContentChunk("s", 2, "hi"));
        assertThat(ChunkJson.parse(json("{'finishReason':'stop','usage':{'inputTokens':1,'outputTokens':2},'id':'s',"
                        + "'seq':4,'type':'done'}")))
                .isEqualTo(new DoneChunk(
                        "s",
                        4,
                        FinishReason.STOP,
                        java.util.Optional.of(Usage.of(1, 2)),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        0,
                        false));
    }

    @Test
    void idSeqAndAStringTypeAreStillRequired() {
        assertThatThrownBy(() -> ChunkJson.parse(json("{'seq':0,'type':'citation'}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessage("chunk field 'id' is missing");
        assertThatThrownBy(() -> ChunkJson.parse(json("{'id':'s','type':'citation','x':1}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessage("chunk field 'seq' is missing");
        assertThatThrownBy(() -> ChunkJson.parse(json("{'id':'s','seq':-1,'type':'citation'}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> ChunkJson.parse(json("{'id':'s','seq':0,'type':7}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessageContaining("'type' must be a string");
        assertThatThrownBy(() -> ChunkJson.parse(json("{'id':'s','seq':0,'x':1}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessage("chunk field 'type' is missing");
        assertThatThrownBy(() -> ChunkJson.parse(json("{'id':'s','seq':0,'type':'citation','x':[1,}")))
                .isInstanceOf(ChunkParseException.class)
                .hasMessageStartingWith("malformed chunk JSON");
    }

    @Test
    void readsInASequenceFromOneParser() {
        String lines = json("{'id':'s','seq':0,'type':'content','delta':'a'}\n"
                + "{'id':'s','seq':1,'type':'citation','x':{'y':[1,2]}}\n"
                + "{'id':'s','seq':2,'type':'done','finishReason':'stop'}");
        List<StreamChunk> read = new ArrayList<>();
        try (JsonParser p = Jackson.factory().createParser(ObjectReadContext.empty(), lines)) {
            while (p.nextToken() != null) {
                read.add(ChunkJson.parse(p));
                assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            }
        }
        assertThat(read)
                .extracting(StreamChunk::type)
                .containsExactly(ChunkType.CONTENT, ChunkType.UNKNOWN, ChunkType.DONE);
        assertThat(((UnknownChunk) read.get(1)).fields()).isEqualTo(json("{'x':{'y':[1,2]}}"));
    }

    @Test
    void isReStampedWithItsFieldsIntact() {
        UnknownChunk u = (UnknownChunk) ChunkJson.parse(CITATION);
        UnknownChunk moved = u.withPosition("st_9", 41);
        assertThat(moved.id()).isEqualTo("st_9");
        assertThat(moved.seq()).isEqualTo(41);
        assertThat(moved.fields()).isEqualTo(u.fields());
        assertThat(ChunkJson.toJson(moved)).isEqualTo(CITATION.replace("\"st_1\",\"seq\":3", "\"st_9\",\"seq\":41"));
    }

    @Test
    void writesThroughAPrettyPrintingGeneratorAsValidJson() {
        StreamChunk chunk = ChunkJson.parse(CITATION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Jackson.mapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
            g.writeStartArray();
            ChunkJson.write(chunk, g);
            g.writeEndArray();
        }
        assertThat(tree(out.toString(StandardCharsets.UTF_8)).get(0)).isEqualTo(tree(CITATION));
    }

    @Test
    void theConstructorKeepsFieldsCompactAndRefusesWhatCannotBeWritten() {
        assertThat(new UnknownChunk("s", 0, "citation", " { \"a\" : [ 1 , 2 ] } ").fields())
                .isEqualTo("{\"a\":[1,2]}");
        assertThat(new UnknownChunk("s", 0, "unknown", "{}").fields()).isEqualTo("{}");
        assertThat(ChunkJson.toJson(new UnknownChunk("s", 0, "x", "{}")))
                .isEqualTo(json("{'id':'s','seq':0,'type':'x'}"));
        assertThatThrownBy(() -> new UnknownChunk("s", 0, "content", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known chunk type");
        for (String bad : List.of(
                "[]", "1", "", "{\"a\":1} {}", "{\"a\":", "{\"id\":\"x\"}", "{\"seq\":1}", "{\"type\":\"y\"}")) {
            assertThatThrownBy(() -> new UnknownChunk("s", 0, "citation", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void itsTypeIsALabelThatFromWireNeverGives() {
        assertThat(ChunkType.UNKNOWN.wireName()).isEqualTo("unknown");
        assertThat(ChunkType.fromWire("unknown")).isEmpty();
        assertThat(ChunkJson.parse(json("{'id':'s','seq':0,'type':'unknown'}"))).isInstanceOf(UnknownChunk.class);
    }

    @Test
    void fieldsTreeIsACopy() {
        UnknownChunk u = (UnknownChunk) ChunkJson.parse(CITATION);
        u.fieldsTree().put("source", 1);
        assertThat(ChunkJson.toJson(u)).isEqualTo(CITATION);
    }

    @Test
    void theAccumulatorIgnoresIt() {
        Accumulator acc = new Accumulator()
                .add(new ContentChunk("s", 0, "Hel"))
                .add(ChunkJson.parse(json("{'id':'s','seq':1,'type':'citation','delta':'NOT TEXT'}")))
                .add(new ContentChunk("s", 2, "lo"))
                .add(new DoneChunk(
                        "s",
                        3,
                        FinishReason.STOP,
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        0,
                        false));
        assertThat(acc.result().content()).isEqualTo("Hello");
        assertThat(acc.result().toolCalls()).isEmpty();
        assertThat(acc.result().errors()).isEmpty();
    }
}
