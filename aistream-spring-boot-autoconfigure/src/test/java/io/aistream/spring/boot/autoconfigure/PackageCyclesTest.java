package io.aistream.spring.boot.autoconfigure;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theSpringSupportHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.spring");
    }
}
