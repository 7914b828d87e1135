package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SseDecodeCommandTest {

    @Test
    void writesOneJsonLinePerDispatchedEvent() {
        CliRun r = CliRun.run("event: greet\ndata: hi\ndata: there\n\n: comment\n\ndata: second\n\n", "sse", "decode");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                {"event":"greet","data":"hi\\nthere"}
                {"event":"message","data":"second"}
                """);
    }

    @Test
    void idIsTheLastEventIdAtDispatchAndOmittedWhenEmpty() {
        CliRun r = CliRun.run("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n", "sse", "decode");

        assertThat(r.out().lines())
                .containsExactly(
                        "{\"event\":\"message\",\"data\":\"a\",\"id\":\"7\"}",
                        "{\"event\":\"message\",\"data\":\"b\",\"id\":\"7\"}",
                        "{\"event\":\"message\",\"data\":\"c\"}");
    }

    @Test
    void retryAppearsOnlyOnTheEventWhoseBlockSetIt() {
        CliRun r = CliRun.run("retry: 3000\ndata: a\n\ndata: b\n\nretry: x1\ndata: c\n\n", "sse", "decode");

        assertThat(r.out().lines())
                .containsExactly(
                        "{\"event\":\"message\",\"data\":\"a\",\"retry\":3000}",
                        "{\"event\":\"message\",\"data\":\"b\"}",
                        "{\"event\":\"message\",\"data\":\"c\"}");
    }

    @Test
    void unfinishedLastEventIsDiscardedAndExitIsZero() {
        CliRun r = CliRun.run("data: complete\n\ndata: never dispatched\n", "sse", "decode");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines()).containsExactly("{\"event\":\"message\",\"data\":\"complete\"}");
    }

    @Test
    void utf8AndControlCharactersAreEscapedAsJson() {
        CliRun r = CliRun.run("data: wörld 👋 \"q\" \\ \t\n\n", "sse", "decode");

        assertThat(r.out()).isEqualTo("{\"event\":\"message\",\"data\":\"wörld 👋 \\\"q\\\" \\\\ \\t\"}\n");
    }

    @Test
    void lineOverTheLimitExitsTwoWithOneLineMessage() {
        byte[] noNewline = new byte[50_000];
        Arrays.fill(noNewline, (byte) 'a');
        byte[] input = concat("data: ok\n\n".getBytes(StandardCharsets.UTF_8), noNewline);

        CliRun r = CliRun.run(input, "sse", "decode", "--max-line-bytes", "1024");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("{\"event\":\"message\",\"data\":\"ok\"}\n");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("1024").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void invalidLimitIsABadInputError() {
        CliRun r = CliRun.run("", "sse", "decode", "--max-event-bytes", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("aistream sse decode:");
    }

    @Test
    void unknownOptionIsAUsageErrorNotAStackTrace() {
        CliRun r = CliRun.run("", "sse", "decode", "--bogus");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--bogus").doesNotContain("\tat ");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
