package io.aistream.webflux;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theBindingHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.webflux");
    }
}
