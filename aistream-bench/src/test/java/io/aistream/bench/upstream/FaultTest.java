package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FaultTest {

    @Test
    void parsesEveryForm() {
        assertThat(Fault.parse("none")).isEqualTo(Fault.NONE);
        assertThat(Fault.parse(null)).isEqualTo(Fault.NONE);
        assertThat(Fault.parse("cut@50")).isEqualTo(new Fault(Fault.Kind.CUT, 50, 0, 0, -1));
        assertThat(Fault.parse("stall@3:250")).isEqualTo(new Fault(Fault.Kind.STALL, 3, 250, 0, -1));
        assertThat(Fault.parse("stall@3").millis()).isEqualTo(60_000);
        assertThat(Fault.parse("429")).isEqualTo(new Fault(Fault.Kind.STATUS, 0, 0, 429, 1));
        assertThat(Fault.parse("429:7").retryAfter()).isEqualTo(7);
        assertThat(Fault.parse("503").retryAfter()).isEqualTo(-1);
        for (String s : new String[] {"cut@50", "stall@3:250", "429:1", "503", "none"}) {
            assertThat(Fault.parse(s).toString()).isEqualTo(s);
        }
    }

    @Test
    void rejectsNonsenseNamingTheForms() {
        for (String s : new String[] {"cut", "cut@-1", "stall@x", "200", "999", "boom"}) {
            assertThatThrownBy(() -> Fault.parse(s))
                    .as(s)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cut@N")
                    .hasMessageContaining(s);
        }
    }

    @Test
    void requestFieldsOverrideModelSuffixOverMaxTokensOverDefaults() {
        JsonMapper json = Jackson.mapper();
        StreamParams p = StreamParams.fromRequest(json.readTree("""
                {"model":"m@rate=5,chunks=7,fault=cut@2","max_tokens":99,"aistream_bench":{"chunks":3,"chunkSize":1}}
                """), StreamParams.DEFAULTS);

        assertThat(p).isEqualTo(new StreamParams(3, 5, 1, 0, Fault.parse("cut@2")));
        assertThat(StreamParams.fromRequest(json.readTree("{\"max_tokens\":9}"), StreamParams.DEFAULTS)
                        .chunks())
                .isEqualTo(9);
        assertThatThrownBy(() -> StreamParams.fromRequest(
                        json.readTree("{\"aistream_bench\":{\"speed\":1}}"), StreamParams.DEFAULTS))
                .hasMessageContaining("speed");
        assertThatThrownBy(() -> StreamParams.fromRequest(
                        json.readTree("{\"aistream_bench\":{\"rate\":-1}}"), StreamParams.DEFAULTS))
                .hasMessageContaining("rate");
    }
}
