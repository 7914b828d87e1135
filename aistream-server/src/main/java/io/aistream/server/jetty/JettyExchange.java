package io.aistream.server.jetty;

import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.WsHandler;
import io.aistream.server.jetty.ws.WsListener;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/** One Jetty exchange as an {@link HttpExchange}; upgrades go through Jetty's WebSocket container. */
final class JettyExchange implements HttpExchange {
    private final Request request;
    private final Response response;
    private final JettyRequest httpRequest;
    private final JettyResponse httpResponse;
    private final ServerWebSocketContainer webSockets;

    JettyExchange(Request request, Response response, ServerWebSocketContainer webSockets, ConnectionConfig limits) {
        this.request = request;
        this.response = response;
        this.httpRequest = new JettyRequest(request, limits);
        this.httpResponse = new JettyResponse(request, response);
        this.webSockets = webSockets;
    }

    @Override
    public HttpRequest request() {
        return httpRequest;
    }

    @Override
    public HttpResponse response() {
        return httpResponse;
    }

    @Override
    public boolean upgradeToWebSocket(String subProtocol, Supplier<WsHandler> handler) throws Exception {
        httpRequest.query(); // Jetty's upgrade decodes the query too: a broken one is the client's 400, found here
        Callback.Completable done = new Callback.Completable();
        boolean upgrading = webSockets.upgrade(
                (rq, rs, cb) -> {
                    if (rq.hasSubProtocol(subProtocol)) {
                        rs.setAcceptedSubProtocol(subProtocol);
                    }
                    return new WsListener(handler.get());
                },
                request,
                response,
                done);
        if (!upgrading) {
            return false;
        }
        GuardedEndPoint guarded = GuardedEndPoint.of(request);
        if (guarded != null) {
            guarded.stopTiming(); // WebSocket frames follow, no more HTTP/1 requests
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        return true;
    }
}
