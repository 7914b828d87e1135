package io.aistream.bench;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theBenchHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.bench");
    }
}
