package io.aistream.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class JsonFieldReaderTest {
    private static final JsonNode DOC = tree("""
            {"name": "n", "flag": true, "n": 3, "d": 2.5, "whole": 2.0, "big": 99999999999, "neg": -1, "nil": null,
             "list": [{"items": [{"x": 1}, {"x": "two"}]}, "s"], "obj": {"a": 1}, "words": ["a", 7], "word": "w"}
            """);

    private static JsonNode tree(String json) {
        return Jackson.strictMapper().readTree(json);
    }

    private static JsonFieldReader doc() {
        return JsonFieldReader.root(DOC, "the body");
    }

    private static JsonFieldException error(ThrowingSupplier<?> read) {
        JsonFieldException e = catchThrowableOfType(JsonFieldException.class, () -> read.get());
        assertThat(e).as("expected a JsonFieldException").isNotNull();
        return e;
    }

    @Test
    void pathsFollowNamesAndIndexesIntoNestedArrays() {
        List<JsonFieldValue> list = doc().requiredArray("list", "an array");
        assertThat(list).extracting(JsonFieldValue::path).containsExactly("list[0]", "list[1]");
        List<JsonFieldValue> items = list.getFirst().asObject().requiredArray("items", "an array of items");
        JsonFieldReader second = items.get(1).asObject();
        assertThat(second.path()).isEqualTo("list[0].items[1]");
        assertThat(second.pathOf("x")).isEqualTo("list[0].items[1].x");
        assertThat(items.getFirst().asObject().required("x").asInt(0, 10)).isEqualTo(1);

        JsonFieldException e = error(() -> second.required("x").asInt(0, 10));
        assertThat(e.path()).isEqualTo("list[0].items[1].x");
        assertThat(e.getMessage()).isEqualTo("list[0].items[1].x: must be a whole number, found a string");
    }

    static Stream<Arguments> typeErrors() {
        return Stream.<Arguments>of(
                Arguments.of("n", (Read) v -> v.asString(), "a string", "found a number", JsonKind.INTEGER),
                Arguments.of("d", (Read) v -> v.asString(), "a string", "found a number", JsonKind.DECIMAL),
                Arguments.of("name", (Read) v -> v.asBoolean(), "true or false", "found a string", JsonKind.STRING),
                Arguments.of("flag", (Read) v -> v.asNumber(), "a number", "found a boolean", JsonKind.BOOLEAN),
                Arguments.of("d", (Read) v -> v.asInt(0, 10), "a whole number", "found a number", JsonKind.DECIMAL),
                Arguments.of("whole", (Read) v -> v.asInt(0, 10), "a whole number", "found a number", JsonKind.DECIMAL),
                Arguments.of(
                        "big",
                        (Read) v -> v.asInt(0, Integer.MAX_VALUE),
                        "a whole number",
                        "found a number",
                        JsonKind.INTEGER),
                Arguments.of("d", (Read) v -> v.asLong(0, 10), "a whole number", "found a number", JsonKind.DECIMAL),
                Arguments.of("list", (Read) v -> v.asObject(), "an object", "found an array", JsonKind.ARRAY),
                Arguments.of(
                        "list",
                        (Read) v -> v.asObject("a JSON Schema object"),
                        "a JSON Schema object",
                        "found an array",
                        JsonKind.ARRAY),
                Arguments.of("obj", (Read) v -> v.asArray(), "an array", "found an object", JsonKind.OBJECT),
                Arguments.of(
                        "obj",
                        (Read) v -> v.asArray("an array of tools"),
                        "an array of tools",
                        "found an object",
                        JsonKind.OBJECT),
                Arguments.of(
                        "n",
                        (Read) v -> v.asStrings("an array of strings"),
                        "an array of strings",
                        "found a number",
                        JsonKind.INTEGER));
    }

    interface Read {
        Object read(JsonFieldValue value);
    }

    @ParameterizedTest
    @MethodSource("typeErrors")
    void typeErrorsSayWhatWasExpectedAndWhatWasFound(
            String field, Read read, String expected, String found, JsonKind kind) {
        JsonFieldValue value = doc().required(field);
        JsonFieldException e = error(() -> read.read(value));
        assertThat(e.path()).isEqualTo(field);
        assertThat(e.problem()).isEqualTo("must be " + expected + ", " + found);
        assertThat(e.getMessage()).isEqualTo(field + ": must be " + expected + ", " + found);
        assertThat(e.reason()).isEqualTo(JsonFieldException.Reason.WRONG_TYPE);
        assertThat(e.expected()).contains(expected);
        assertThat(e.found()).contains(kind);
        assertThat(e.allowed()).isEmpty();
    }

    @Test
    void anArrayOfStringsNamesTheElementThatIsNone() {
        assertThat(doc().optionalStrings("word", "an array of strings")).containsExactly("w");
        assertThat(doc().optionalStrings("absent", "an array of strings")).isEmpty();
        JsonFieldException e = error(() -> doc().optionalStrings("words", "an array of strings"));
        assertThat(e.getMessage()).isEqualTo("words[1]: must be a string, found a number");
    }

    @Test
    void typedGettersReadTheirValues() {
        JsonFieldReader r = doc();
        assertThat(r.requiredString("name")).isEqualTo("n");
        assertThat(r.optionalString("name")).contains("n");
        assertThat(r.optionalBoolean("flag", false)).isTrue();
        assertThat(r.optionalBoolean("absent", true)).isTrue();
        assertThat(r.optionalNumber("d")).hasValue(2.5);
        assertThat(r.optionalNumber("n")).hasValue(3.0);
        assertThat(r.optionalInt("n", 1, 5)).hasValue(3);
        assertThat(r.required("big").asLong(0, Long.MAX_VALUE)).isEqualTo(99_999_999_999L);
        assertThat(r.requiredObject("obj").path()).isEqualTo("obj");
        assertThat(r.optionalObject("obj"))
                .get()
                .extracting(JsonFieldReader::path)
                .isEqualTo("obj");
        assertThat(r.optionalArray("list", "an array").orElseThrow()).hasSize(2);
        assertThat(r.required("obj").kind()).isEqualTo(JsonKind.OBJECT);
        assertThat(r.required("name").isString()).isTrue();
    }

    @Test
    void nullIsAbsentAndAbsentRequiredFieldsAreMissing() {
        JsonFieldReader r = doc();
        assertThat(r.has("nil")).isFalse();
        assertThat(r.has("name")).isTrue();
        assertThat(r.optional("nil")).isEmpty();
        assertThat(r.optionalString("nil")).isEmpty();
        assertThat(r.optionalInt("nil", 1, 2)).isEmpty();
        assertThat(r.optionalNumber("nil")).isEmpty();
        assertThat(r.optionalObject("nil")).isEmpty();
        assertThat(r.optionalArray("nil", "an array")).isEmpty();
        for (String name : List.of("nil", "absent")) {
            JsonFieldException e = error(() -> r.requiredString(name));
            assertThat(e.getMessage()).isEqualTo(name + ": is required");
            assertThat(e.reason()).isEqualTo(JsonFieldException.Reason.MISSING);
        }
        JsonFieldReader nested = r.requiredObject("obj");
        assertThat(error(() -> nested.requiredObject("b")).getMessage()).isEqualTo("obj.b: is required");
        assertThat(nested.missing("c").path()).isEqualTo("obj.c");
    }

    @Test
    void unknownFieldsAreNamedWithTheirPathAndTheAllowedNamesSorted() {
        JsonFieldReader obj = doc().requiredObject("obj");
        assertThat(obj.allowOnly(Set.of("a", "b"))).isSameAs(obj);
        JsonFieldException e = error(() -> obj.allowOnly(Set.of("z", "b", "y")));
        assertThat(e.path()).isEqualTo("obj.a");
        assertThat(e.problem()).isEqualTo("unknown field; expected one of b, y, z");
        assertThat(e.reason()).isEqualTo(JsonFieldException.Reason.UNKNOWN_FIELD);
        assertThat(e.allowed()).containsExactly("b", "y", "z");

        JsonFieldException top = error(() -> JsonFieldReader.root(tree("{\"ok\": 1, \"typo\": 2, \"other\": 3}"), "x")
                .allowOnly(Set.of("ok")));
        assertThat(top.getMessage()).isEqualTo("typo: unknown field; expected one of ok");
    }

    @Test
    void boundsAreWordedForTheirRange() {
        JsonFieldReader r = doc();
        assertThat(error(() -> r.required("neg").asInt(1, Integer.MAX_VALUE)).problem())
                .isEqualTo("must be positive");
        assertThat(error(() -> r.required("neg").asInt(0, Integer.MAX_VALUE)).problem())
                .isEqualTo("must not be negative");
        assertThat(error(() -> r.required("n").asInt(5, Integer.MAX_VALUE)).problem())
                .isEqualTo("must be at least 5");
        assertThat(error(() -> r.required("n").asInt(0, 2)).problem()).isEqualTo("must be between 0 and 2");
        assertThat(error(() -> r.required("neg").asLong(1, Long.MAX_VALUE)).problem())
                .isEqualTo("must be positive");
        assertThat(error(() -> r.required("big").asLong(0, 10)).problem()).isEqualTo("must be between 0 and 10");
        JsonFieldException e = error(() -> r.optionalInt("n", 4, 9));
        assertThat(e.path()).isEqualTo("n");
        assertThat(e.reason()).isEqualTo(JsonFieldException.Reason.INVALID_VALUE);
        assertThat(r.required("n").asInt(3, 3)).isEqualTo(3);
    }

    @Test
    void theDocumentMustBeAnObject() {
        JsonFieldException e = error(() -> JsonFieldReader.root(tree("[1]"), "the body"));
        assertThat(e.path()).isEmpty();
        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("the body must be a JSON object, found an array");
        assertThat(e.found()).contains(JsonKind.ARRAY);
        assertThat(error(() -> JsonFieldReader.root(tree("null"), "a message")).getMessage())
                .isEqualTo("a message must be a JSON object, found null");
    }

    @Test
    void callerChecksReportAtTheRightPath() {
        JsonFieldReader obj = doc().requiredObject("obj");
        assertThat(obj.invalid("is odd").getMessage()).isEqualTo("obj: is odd");
        assertThat(obj.invalid("a", "must be even").getMessage()).isEqualTo("obj.a: must be even");
        assertThat(doc().invalid("empty").getMessage()).isEqualTo("empty");
        assertThat(JsonFieldException.invalid("x[0]", "no").field()).contains("x[0]");
        assertThat(doc().required("list").asArray().get(1).mustBe("an object").getMessage())
                .isEqualTo("list[1]: must be an object, found a string");
        assertThat(doc().required("name").invalid("bad").path()).isEqualTo("name");
    }

    @Test
    void kindsAreNamedAsMessagesSayThem() {
        assertThat(JsonKind.of(tree("\"s\""))).isEqualTo(JsonKind.STRING);
        assertThat(JsonKind.of(tree("1"))).isEqualTo(JsonKind.INTEGER);
        assertThat(JsonKind.of(tree("1.5"))).isEqualTo(JsonKind.DECIMAL);
        assertThat(JsonKind.of(tree("true"))).isEqualTo(JsonKind.BOOLEAN);
        assertThat(JsonKind.of(tree("[]"))).isEqualTo(JsonKind.ARRAY);
        assertThat(JsonKind.of(tree("{}"))).isEqualTo(JsonKind.OBJECT);
        assertThat(JsonKind.of(tree("null"))).isEqualTo(JsonKind.NULL);
        assertThat(JsonKind.of(Jackson.mapper().missingNode())).isEqualTo(JsonKind.OTHER);
        assertThat(JsonKind.DECIMAL.described()).isEqualTo("a number");
        assertThat(JsonFieldValue.at("m", Jackson.mapper().missingNode())
                        .mustBe("a string")
                        .problem())
                .isEqualTo("must be a string, found a JSON missing");
    }

    @Test
    void duplicateFieldsAreRefusedWhenTheTreeIsParsed() {
        assertThatThrownBy(() -> tree("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("Duplicate");
    }
}
