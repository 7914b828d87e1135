package io.aistream.cli;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theCliHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.cli");
    }
}
