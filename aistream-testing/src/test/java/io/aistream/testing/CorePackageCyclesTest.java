package io.aistream.testing;

import org.junit.jupiter.api.Test;

/**
 * aistream-core's package-cycle check. It lives here because core's own tests cannot use this module
 * (this module depends on core); core's classes are on this module's class path.
 */
class CorePackageCyclesTest {
    @Test
    void coreHasNoPackageCycle() {
        PackageCycles.assertNone("io.aistream", "io.aistream.testing");
    }
}
