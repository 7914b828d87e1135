package io.aistream.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** The process's open-files limit as the JVM reports it (what the gateway derives its default from). */
final class ConnectionBudgetProbe {
    private ConnectionBudgetProbe() {}

    static long openFiles() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
    }
}
