package io.aistream.chunk;

import static io.aistream.chunk.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aistream.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkJsonMalformedTest {

    static Stream<Arguments> badFields() {
        return Stream.of(
                // envelope
                bad("{'seq':0,'type':'content','delta':'x'}", "id", "is missing"),
                bad("{'id':1,'seq':0,'type':'content','delta':'x'}", "id", "must be a string"),
                bad("{'id':null,'seq':0,'type':'content','delta':'x'}", "id", "is missing"),
                bad("{'id':'s','type':'content','delta':'x'}", "seq", "is missing"),
                bad("{'id':'s','seq':'3','type':'content','delta':'x'}", "seq", "must be an integer"),
                bad("{'id':'s','seq':1.5,'type':'content','delta':'x'}", "seq", "must be an integer"),
                bad("{'id':'s','seq':true,'type':'content','delta':'x'}", "seq", "must be an integer"),
                bad("{'id':'s','seq':-1,'type':'content','delta':'x'}", "seq", "must not be negative"),
                bad("{'id':'s','seq':99999999999999999999,'type':'content','delta':'x'}", "seq", "out of range"),
                bad("{'id':'s','seq':0,'delta':'x'}", "type", "is missing"),
                // an unknown type is an UnknownChunk (see UnknownChunkTest), but it still needs id and seq
                bad("{'seq':0,'type':'bogus','delta':'x'}", "id", "is missing"),
                bad("{'id':'s','seq':'0','type':'bogus'}", "seq", "must be an integer"),
                // fields before the type are checked in document order once the type is known
                bad("{'id':'s','seq':0,'delta':5}", "delta", "must be a string"),
                bad("{'delta':5,'id':'s','seq':0,'type':'content'}", "delta", "must be a string"),
                bad("{'delta':5,'id':'s','type':7}", "delta", "must be a string"),
                bad("{'extra':1,'id':'s','seq':0,'type':[1]}", "type", "must be a string"),
                bad("{'id':'s','seq':0,'type':['content'],'delta':'x'}", "type", "must be a string"),
                // content / reasoning
                bad("{'id':'s','seq':0,'type':'content'}", "delta", "is missing"),
                bad("{'id':'s','seq':0,'type':'reasoning'}", "delta", "is missing"),
                bad("{'id':'s','seq':0,'type':'content','delta':5}", "delta", "must be a string"),
                bad("{'id':'s','seq':0,'type':'reasoning','delta':{'t':'x'}}", "delta", "must be a string"),
                // tool_call
                bad("{'id':'s','seq':0,'type':'tool_call'}", "toolCall", "is missing"),
                bad("{'id':'s','seq':0,'type':'tool_call','toolCall':'x'}", "toolCall", "must be an object"),
                bad("{'id':'s','seq':0,'type':'tool_call','toolCall':{'name':'f'}}", "toolCall.index", "is missing"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':'0'}}",
                        "toolCall.index",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':null}}",
                        "toolCall.index",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':-1}}",
                        "toolCall.index",
                        "must not be negative"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':3000000000}}",
                        "toolCall.index",
                        "out of range"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':0,'id':5}}",
                        "toolCall.id",
                        "must be a string"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':0,'name':true}}",
                        "toolCall.name",
                        "must be a string"),
                bad(
                        "{'id':'s','seq':0,'type':'tool_call','toolCall':{'index':0,'argumentsDelta':{}}}",
                        "toolCall.argumentsDelta",
                        "must be a string"),
                // error
                bad("{'id':'s','seq':0,'type':'error'}", "error", "is missing"),
                bad("{'id':'s','seq':0,'type':'error','error':[]}", "error", "must be an object"),
                bad("{'id':'s','seq':0,'type':'error','error':{'message':'m'}}", "error.code", "is missing"),
                bad("{'id':'s','seq':0,'type':'error','error':{'code':'c'}}", "error.message", "is missing"),
                bad(
                        "{'id':'s','seq':0,'type':'error','error':{'code':1,'message':'m'}}",
                        "error.code",
                        "must be a string"),
                bad(
                        "{'id':'s','seq':0,'type':'error','error':{'code':'c','message':'m','retryable':'yes'}}",
                        "error.retryable",
                        "must be a boolean"),
                bad(
                        "{'id':'s','seq':0,'type':'error','error':{'code':'c','message':'m','status':'529'}}",
                        "error.status",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'error','error':{'code':'c','message':'m','provider':1}}",
                        "error.provider",
                        "must be a string"),
                // done
                bad("{'id':'s','seq':0,'type':'done'}", "finishReason", "is missing"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'finished'}",
                        "finishReason",
                        "unknown value 'finished'"),
                bad("{'id':'s','seq':0,'type':'done','finishReason':1}", "finishReason", "must be a string"),
                bad("{'id':'s','seq':0,'type':'done','finishReason':'stop','usage':'x'}", "usage", "must be an object"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','usage':{'inputTokens':-1}}",
                        "usage.inputTokens",
                        "must not be negative"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','usage':{'outputTokens':'1'}}",
                        "usage.outputTokens",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','usage':{'totalTokens':1e3}}",
                        "usage.totalTokens",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','provider':1}",
                        "provider",
                        "must be a string"),
                bad("{'id':'s','seq':0,'type':'done','finishReason':'stop','model':[]}", "model", "must be a string"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','content':5}",
                        "content",
                        "must be a string"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','dropped':-2}",
                        "dropped",
                        "must not be negative"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','dropped':'2'}",
                        "dropped",
                        "must be an integer"),
                bad(
                        "{'id':'s','seq':0,'type':'done','finishReason':'stop','recovered':'true'}",
                        "recovered",
                        "must be a boolean"));
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                Arguments.of("", "must be a JSON object"),
                Arguments.of("   ", "must be a JSON object"),
                Arguments.of("not json", "malformed chunk JSON"),
                Arguments.of("[1,2]", "must be a JSON object"),
                Arguments.of("\"content\"", "must be a JSON object"),
                Arguments.of("null", "must be a JSON object"),
                Arguments.of(json("{'id':'s','seq':0"), "malformed chunk JSON"),
                Arguments.of(json("{'id':'s','seq':0,}"), "malformed chunk JSON"),
                Arguments.of(json("{'id':'s' 'seq':0}"), "malformed chunk JSON"),
                Arguments.of(json("{'id':'s','seq':0,'type':'content','delta':'x'} x"), "malformed chunk JSON"),
                Arguments.of(json("{'id':'s','seq':0,'type':'content','delta':'x'}{}"), "unexpected content after"),
                Arguments.of(json("{'id':'s','seq':0,'type':'content','delta':'x'}[]"), "unexpected content after"),
                Arguments.of(json("{'id':'s','seq':0,'type':'content','delta':'\\q'}"), "malformed chunk JSON"),
                Arguments.of(json("{'id':'s','seq':0,'type':'content','delta':'a\nb'}"), "malformed chunk JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFields")
    void malformedFieldIsReportedByName(String input, String field, String problem) {
        ChunkParseException e = parseFails(input);

        assertThat(e.field()).contains(field);
        assertThat(e.getMessage()).startsWith("chunk field '" + field + "' ").contains(problem);
        // the same failure from bytes
        ChunkParseException fromBytes = catchThrowableOfType(
                ChunkParseException.class, () -> ChunkJson.parse(input.getBytes(StandardCharsets.UTF_8)));
        assertThat(fromBytes).isNotNull();
        assertThat(fromBytes.getMessage()).isEqualTo(e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void malformedDocumentIsAChunkParseException(String input, String problem) {
        ChunkParseException e = parseFails(input);

        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage()).contains(problem);
        ChunkParseException fromBytes = catchThrowableOfType(
                ChunkParseException.class, () -> ChunkJson.parse(input.getBytes(StandardCharsets.UTF_8)));
        assertThat(fromBytes).isNotNull();
    }

    @Test
    void invalidUtf8IsAChunkParseException() {
        byte[] bytes = json("{'id':'s','seq':0,'type':'content','delta':'__'}").getBytes(StandardCharsets.US_ASCII);
        bytes[bytes.length - 4] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        ChunkParseException e = catchThrowableOfType(ChunkParseException.class, () -> ChunkJson.parse(bytes));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("malformed chunk JSON");
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_EVENT.wireName());
    }

    private static ChunkParseException parseFails(String input) {
        ChunkParseException e = catchThrowableOfType(ChunkParseException.class, () -> ChunkJson.parse(input));
        assertThat(e).as("ChunkParseException for %s", input).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_EVENT.wireName());
        assertThat(e.retryable()).isFalse();
        return e;
    }

    private static Arguments bad(String singleQuoted, String field, String problem) {
        return Arguments.of(json(singleQuoted), field, problem);
    }
}
