package io.aistream.provider;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theProvidersHaveNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.provider");
    }
}
