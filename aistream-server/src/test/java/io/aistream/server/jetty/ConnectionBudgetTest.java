package io.aistream.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
    @Test
    void automaticIsHalfTheOpenFilesLimitAtMostTwentyThousand() {
        ConnectionBudget here = ConnectionBudget.resolve(0, OptionalLong.of(20_000));
        assertThat(here.maxConnections()).isEqualTo(10_000);
        assertThat(here.warning()).isFalse();
        assertThat(here.explanation())
                .isEqualTo("maxConnections 10000 (half the open-files limit of 20000;"
                        + " the rest is left for upstream connections and files)");

        ConnectionBudget big = ConnectionBudget.resolve(0, OptionalLong.of(1_048_576));
        assertThat(big.maxConnections()).isEqualTo(20_000);
        assertThat(big.explanation()).contains("1048576").contains("at most 20000");

        assertThat(ConnectionBudget.resolve(0, OptionalLong.of(1024)).maxConnections())
                .isEqualTo(512);
        assertThat(ConnectionBudget.resolve(0, OptionalLong.of(1)).maxConnections())
                .isEqualTo(1);
    }

    @Test
    void unknownLimitFallsBackToTenThousand() {
        ConnectionBudget unknown = ConnectionBudget.resolve(0, OptionalLong.empty());
        assertThat(unknown.maxConnections()).isEqualTo(10_000);
        assertThat(unknown.explanation()).contains("unknown");
    }

    @Test
    void anExplicitFigureWinsWithAWarningWhenTheLimitCannotHoldIt() {
        ConnectionBudget fits = ConnectionBudget.resolve(5_000, OptionalLong.of(20_000));
        assertThat(fits.maxConnections()).isEqualTo(5_000);
        assertThat(fits.warning()).isFalse();

        ConnectionBudget tooMany = ConnectionBudget.resolve(20_000, OptionalLong.of(20_000));
        assertThat(tooMany.maxConnections()).isEqualTo(20_000);
        assertThat(tooMany.warning()).isTrue();
        assertThat(tooMany.explanation()).contains("exceeds half the open-files limit (20000)");

        assertThat(ConnectionBudget.resolve(50_000, OptionalLong.empty()).warning())
                .isFalse();
    }

    @Test
    void theOpenFilesLimitIsReadOnThisJvm() {
        // Linux CI: the JVM reports the process's limit
        assertThat(ConnectionBudget.openFilesLimit()).isPresent();
    }
}
