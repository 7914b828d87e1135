package io.aistream.server.openai;

import io.aistream.server.http.Exchange;
import io.aistream.server.http.Responses;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.streams.ModelTargets;
import io.aistream.server.streams.StreamService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's shape, for OpenAI clients and
 * chat UIs that ask which models exist before they stream ({@code client.models.list()}).
 *
 * <p>The ids are the names {@code POST /v1/chat/completions} accepts: every provider-map name (a
 * provider, alias or chain: its default model) and {@code provider/model} for each model a provider
 * lists. A provider that lists none takes any {@code provider/model}; only its name is listed. A
 * {@code provider/model} id is retrieved with its '/' encoded as {@code %2F}, as the official SDKs
 * send it ({@code /v1/models/simulated%2Fecho}: the route's parameter is decoded), or as it is
 * ({@code /v1/models/simulated/echo}).
 * Authenticated like the chat endpoint, with OpenAI's 401 shape. Stateless and thread-safe.
 */
final class OpenAiModels implements Routes {
    private final StreamService streams;
    private final long created;

    OpenAiModels(StreamService streams) {
        this.streams = streams;
        this.created = System.currentTimeMillis() / 1000;
    }

    /** The routes: bearer keys and OpenAI's error shape, as the chat endpoint. */
    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", "/v1/models", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::list),
                new Route("GET", "/v1/models/{id}", OpenAiEndpoint.ACCESS, OpenAiError.WRITER, this::retrieve),
                // provider/model ids: OpenAI clients put the id in the path as it is
                new Route(
                        "GET",
                        "/v1/models/{provider}/{model}",
                        OpenAiEndpoint.ACCESS,
                        OpenAiError.WRITER,
                        this::retrieve));
    }

    private void list(Exchange ex) throws IOException {
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        ModelTargets.ids(streams.providers()).forEach(id -> data.add(model(id)));
        Responses.json(ex.response(), 200, body);
    }

    private void retrieve(Exchange ex) throws IOException {
        Map<String, String> params = ex.pathParams();
        String id = params.containsKey("id") ? params.get("id") : params.get("provider") + "/" + params.get("model");
        if (!ModelTargets.ids(streams.providers()).contains(id)) {
            throw new OpenAiError(
                            404,
                            "The model '" + id + "' does not exist. GET /v1/models lists the models.",
                            OpenAiError.INVALID_REQUEST,
                            Optional.empty(),
                            Optional.of("model_not_found"),
                            Map.of())
                    .failure();
        }
        Responses.json(ex.response(), 200, model(id));
    }

    private ObjectNode model(String id) {
        ObjectNode m = Responses.JSON.createObjectNode();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", created);
        int slash = id.indexOf('/');
        m.put("owned_by", slash < 0 ? id : id.substring(0, slash));
        return m;
    }
}
