package io.aistream.hostile;

import io.aistream.testing.GatewayProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway under attack: a real {@code aistream serve} ({@link GatewayProcess}: the shipped jar in a JVM of
 * its own, on a free loopback port) with a small heap ({@value #HEAP}) and the launcher's flags.
 */
final class HostileGateway {
    static final String HEAP = "-Xmx256m";

    private HostileGateway() {}

    /** Starts a gateway with this config file and no provider keys; waits until it listens. */
    static GatewayProcess start(String configJson) throws IOException {
        return start(configJson, Map.of());
    }

    static GatewayProcess start(String configJson, Map<String, String> env) throws IOException {
        return start(GatewayProcess.Options.defaults().withConfig(configJson).withEnv(env));
    }

    /** Starts a gateway with these options, its JVM flags replaced by the small heap and the launcher's. */
    static GatewayProcess start(GatewayProcess.Options options) throws IOException {
        List<String> jvm = new ArrayList<>(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"));
        // -Dhostile.jvmArgs="-Xlog:gc" and the like, to look into a run
        String extra = System.getProperty("hostile.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        return GatewayProcess.start(options.withJvmArgs(jvm));
    }
}
