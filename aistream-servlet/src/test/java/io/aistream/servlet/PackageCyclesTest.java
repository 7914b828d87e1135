package io.aistream.servlet;

import io.aistream.testing.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theServletBindingHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream.servlet");
    }
}
