package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseEncodeCommandTest {

    @Test
    void encodesEventsAndComments() {
        CliRun r = CliRun.run("""
                {"comment":"hello"}
                {"event":"greet","data":"hi\\nthere","id":"7","retry":1500}

                {"data":"second"}
                """, "sse", "encode");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .isEqualTo(":hello\nretry: 1500\nid: 7\nevent: greet\ndata: hi\ndata: there\n\ndata: second\n\n");
    }

    @Test
    void decodeOfEncodeGivesTheSameEvents() {
        String events = """
                {"event":"message","data":"a\\r\\nb\\rc","id":"1"}
                {"event":"x","data":"","id":"1"}
                {"event":"message","data":"ünïcödé 👋","id":"2","retry":10}
                """;
        CliRun encoded = CliRun.run(events, "sse", "encode");
        CliRun decoded = CliRun.run(encoded.out(), "sse", "decode");

        assertThat(decoded.out()).isEqualTo("""
                {"event":"message","data":"a\\nb\\nc","id":"1"}
                {"event":"x","data":"","id":"1"}
                {"event":"message","data":"ünïcödé 👋","id":"2","retry":10}
                """);
    }

    @Test
    void rejectsInvalidJsonNamingTheLine() {
        CliRun r = CliRun.run("{\"data\":\"ok\"}\n{not json\n", "sse", "encode");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("data: ok\n\n");
        assertThat(r.err()).startsWith("aistream sse encode: line 2: not valid JSON");
    }

    @Test
    void rejectsWrongFieldTypesAndUnknownFields() {
        assertThat(CliRun.run("{\"data\":1}\n", "sse", "encode").err())
                .contains("line 1: field 'data' must be a string");
        assertThat(CliRun.run("{\"retry\":-5}\n", "sse", "encode").err())
                .contains("field 'retry' must be a non-negative integer");
        assertThat(CliRun.run("{\"retry\":1.5}\n", "sse", "encode").err()).contains("field 'retry'");
        assertThat(CliRun.run("{\"dta\":\"x\"}\n", "sse", "encode").err()).contains("unknown field 'dta'");
        assertThat(CliRun.run("[1]\n", "sse", "encode").err()).contains("expected a JSON object");
    }

    @Test
    void rejectsAnIdContainingANewline() {
        CliRun r = CliRun.run("{\"id\":\"a\\nb\",\"data\":\"x\"}\n", "sse", "encode");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("line 1").contains("id");
        assertThat(r.out()).isEmpty();
    }
}
