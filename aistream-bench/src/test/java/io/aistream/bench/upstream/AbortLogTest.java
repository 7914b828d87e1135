package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AbortLogTest {
    private static JsonNode page(AbortLog log, long since) {
        return Jackson.mapper().readTree(log.toJson(since));
    }

    @Test
    void pagesFromASequenceNumberAndSkipsUntaggedStreams() {
        AbortLog log = new AbortLog();
        log.record(7);
        log.record(-1);
        log.record(9);

        JsonNode all = page(log, 0);
        assertThat(all.path("next").asLong()).isEqualTo(2);
        assertThat(all.path("dropped").asLong()).isZero();
        assertThat(all.path("aborts").size()).isEqualTo(4);
        assertThat(all.path("aborts").get(0).asLong()).isEqualTo(7);
        assertThat(all.path("aborts").get(2).asLong()).isEqualTo(9);
        assertThat(all.path("aborts").get(3).asLong())
                .isGreaterThanOrEqualTo(all.path("aborts").get(1).asLong());

        JsonNode rest = page(log, 1);
        assertThat(rest.path("aborts").size()).isEqualTo(2);
        assertThat(rest.path("aborts").get(0).asLong()).isEqualTo(9);

        JsonNode end = page(log, Long.MAX_VALUE);
        assertThat(end.path("next").asLong()).isEqualTo(2);
        assertThat(end.path("aborts").size()).isZero();
    }

    @Test
    void keepsTheLastEntriesAndCountsTheDroppedOnesInPages() {
        AbortLog log = new AbortLog();
        int n = AbortLog.CAPACITY + 5;
        for (int i = 0; i < n; i++) {
            log.record(i);
        }

        JsonNode first = page(log, 0);
        assertThat(first.path("dropped").asLong()).isEqualTo(5);
        assertThat(first.path("aborts").get(0).asLong()).isEqualTo(5);
        assertThat(first.path("aborts").size()).isEqualTo(2 * AbortLog.PAGE);
        assertThat(first.path("next").asLong()).isEqualTo(5 + AbortLog.PAGE);

        long since = 0;
        long seen = 0;
        JsonNode p;
        do {
            p = page(log, since);
            seen += p.path("aborts").size() / 2;
            since = p.path("next").asLong();
        } while (p.path("aborts").size() > 0);
        assertThat(seen).isEqualTo(AbortLog.CAPACITY);
        assertThat(since).isEqualTo(n);
    }

    @Test
    void aTagTravelsInTheBenchParametersAndTheModelName() {
        JsonNode body = Jackson.mapper().readTree("{\"model\":\"m@rate=5,tag=12\",\"aistream_bench\":{\"chunks\":3}}");
        StreamParams p = StreamParams.fromRequest(body, StreamParams.DEFAULTS);
        assertThat(p.tag()).isEqualTo(12);
        assertThat(StreamParams.DEFAULTS.tag()).isEqualTo(-1);
        JsonNode top = Jackson.mapper().readTree("{\"aistream_bench\":{\"tag\":4}}");
        assertThat(StreamParams.fromRequest(top, StreamParams.DEFAULTS).tag()).isEqualTo(4);
    }
}
