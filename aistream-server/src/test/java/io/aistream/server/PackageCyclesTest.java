package io.aistream.server;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theServerHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.server");
    }
}
