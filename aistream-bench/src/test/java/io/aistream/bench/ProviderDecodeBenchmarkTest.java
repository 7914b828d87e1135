package io.aistream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.provider.registry.ProtocolCatalog;
import org.junit.jupiter.api.Test;

class ProviderDecodeBenchmarkTest {

    @Test
    void everyRegisteredProtocolHasTrafficThatDecodesIntoItsDeltasAndDone() {
        assertThat(ProviderTraffic.protocols()).isEqualTo(ProtocolCatalog.ids());
        ProviderDecodeBenchmark all = new ProviderDecodeBenchmark();
        all.provider = ProviderDecodeBenchmark.ALL;
        all.setUp(); // checks DELTAS + 1 chunks for every body
        for (String id : ProtocolCatalog.ids()) {
            ProviderDecodeBenchmark one = new ProviderDecodeBenchmark();
            one.provider = id;
            one.setUp();
        }
    }

    @Test
    void anUnknownProtocolIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> ProviderTraffic.body("acme", 3))
                .hasMessageContaining("acme")
                .hasMessageContaining("anthropic");
    }
}
