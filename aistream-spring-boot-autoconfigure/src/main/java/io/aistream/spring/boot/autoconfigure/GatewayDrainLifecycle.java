package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.assembly.GatewayRoutes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the gateway when the application context stops: new streams are refused, running ones may
 * finish within the grace ({@code aistream.shutdown-grace-seconds}, default 10), the rest are aborted
 * (their clients get {@code done(aborted)}). Its phase is above Spring Boot's graceful web server
 * shutdown, so the drain runs first and the server's wait for in-flight requests then finds the
 * streams ended. The drain runs on a thread of its own; Spring waits for its callback.
 */
public final class GatewayDrainLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayDrainLifecycle.class);

    /** Above Boot's graceful web server shutdown ({@code DEFAULT_PHASE - 1024}), below the default. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final GatewayRoutes routes;
    private final Duration grace;
    private volatile boolean running;

    /**
     * @param routes the gateway (not closed here: the context closes it)
     * @param grace  how long running streams may finish
     */
    public GatewayDrainLifecycle(GatewayRoutes routes, Duration grace) {
        this.routes = routes;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        drain();
    }

    @Override
    public void stop(Runnable callback) {
        Thread.ofPlatform().name("aistream-drain").start(() -> {
            try {
                drain();
            } finally {
                callback.run();
            }
        });
    }

    private void drain() {
        if (!running) {
            return;
        }
        running = false;
        try {
            int aborted = routes.drain(grace);
            if (aborted > 0) {
                LOG.info(
                        "aistream: {} streams were still running after {} s and were aborted",
                        aborted,
                        grace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            routes.abortAll();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
