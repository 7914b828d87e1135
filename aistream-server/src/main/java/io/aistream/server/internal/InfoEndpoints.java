package io.aistream.server.internal;

import io.aistream.provider.ChatProvider;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /health} and {@code GET /metrics}. */
final class InfoEndpoints {
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StreamService streams;
    private final GatewayMetrics metrics;

    InfoEndpoints(StreamService streams, GatewayMetrics metrics) {
        this.streams = streams;
        this.metrics = metrics;
    }

    /**
     * {@code {"status":"ok","providers":[{"name":"simulated","models":["echo",…]}],"activeStreams":0}};
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
        Responses.json(ex.response(), draining ? 503 : 200, body);
    }

    /** Prometheus text. */
    void metrics(Exchange ex) throws IOException {
        Responses.text(ex.response(), 200, PROMETHEUS_TYPE, metrics.scrape());
    }
}
