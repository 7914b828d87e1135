package io.aistream.server.ops;

import io.aistream.provider.ChatProvider;
import io.aistream.server.http.Access;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /health} (open to anyone) and {@code GET /metrics} (bearer keys), errors in the native
 * shape. Thread-safe.
 */
public final class InfoEndpoints implements Routes {
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StreamService streams;
    private final GatewayMetrics metrics;

    public InfoEndpoints(StreamService streams, GatewayMetrics metrics) {
        this.streams = streams;
        this.metrics = metrics;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", "/health", Access.OPEN, this::health),
                new Route("GET", "/metrics", Access.BEARER, this::metrics));
    }

    /**
     * {@code {"status":"ok","providers":[{"name":"simulated","models":["echo",…]}],"activeStreams":0,
     * "nodeId":"web-1-4711-9f0c2a"}} (and {@code "cluster":"redis"} on a node of a cluster);
     * status {@code draining} (and HTTP 503) while the server stops.
     */
    void health(Exchange ex) throws IOException {
        ObjectNode body = Responses.JSON.createObjectNode();
        boolean draining = streams.draining();
        body.put("status", draining ? "draining" : "ok");
        ArrayNode providers = body.putArray("providers");
        for (Map.Entry<String, ChatProvider> e : streams.providers().entrySet()) {
            ObjectNode p = providers.addObject();
            p.put("name", e.getKey());
            ArrayNode models = p.putArray("models");
            e.getValue().models().forEach(models::add);
        }
        body.put("activeStreams", streams.activeStreams());
        body.put("nodeId", streams.cluster().nodeId());
        if (streams.cluster().shared()) {
            body.put("cluster", "redis");
        }
        Responses.json(ex.response(), draining ? 503 : 200, body);
    }

    /** Prometheus text. */
    void metrics(Exchange ex) throws IOException {
        Responses.text(ex.response(), 200, PROMETHEUS_TYPE, metrics.scrape());
    }
}
