package io.aistream.server.jetty;

import io.aistream.server.http.Dispatcher;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The gateway's one Jetty handler, a thin adapter: it wraps Jetty's request and response in the
 * HTTP-neutral exchange and hands it to the {@link Dispatcher} (CORS, routing, authentication, the
 * protocols' endpoints, error answers); paths the dispatcher does not serve go to the wrapped handler
 * (static files). It completes Jetty's callback: succeeded once the dispatcher answered, failed when
 * the dispatcher could not finish the response (it had begun before a failure).
 *
 * <p>Runs on virtual threads (Jetty's pool has a virtual-thread executor and this handler blocks).
 */
final class GatewayHandler extends Handler.Wrapper {
    private final Dispatcher dispatcher;
    private final ServerWebSocketContainer webSockets;

    /**
     * @param dispatcher  every route of the gateway
     * @param webSockets  the container that upgrades {@code /v1/ws}
     * @param staticFiles the handler for paths no route serves (may be null)
     */
    GatewayHandler(Dispatcher dispatcher, ServerWebSocketContainer webSockets, Handler staticFiles) {
        super(staticFiles);
        this.dispatcher = dispatcher;
        this.webSockets = webSockets;
    }

    /** Blocking: Jetty must run it on a (virtual) thread of its own, never on a selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            Dispatcher.Fallback files =
                    getHandler() == null ? Dispatcher.Fallback.NONE : () -> super.handle(request, response, callback);
            if (dispatcher.dispatch(new JettyExchange(request, response, webSockets), files)) {
                callback.succeeded();
            }
        } catch (Throwable t) {
            callback.failed(t);
        }
        return true;
    }
}
