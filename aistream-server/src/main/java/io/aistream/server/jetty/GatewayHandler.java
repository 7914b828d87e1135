package io.aistream.server.jetty;

import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.http.BadHttpRequestException;
import io.aistream.server.http.Dispatcher;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Request.Handler.AbortException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The gateway's one Jetty handler, a thin adapter: it wraps Jetty's request and response in the
 * HTTP-neutral exchange and hands it to the {@link Dispatcher} (CORS, routing, authentication, the
 * protocols' endpoints, error answers); paths the dispatcher does not serve go to the wrapped handler
 * (static files). It completes Jetty's callback: succeeded once the dispatcher answered, failed when
 * the dispatcher could not finish the response (it had begun before a failure). It also tells the
 * connection's {@link GuardedEndPoint} when a request's headers have arrived and when its exchange
 * ended (the request-header deadline).
 *
 * <p>Runs on virtual threads (Jetty's pool has a virtual-thread executor and this handler blocks).
 */
final class GatewayHandler extends Handler.Wrapper {
    private final Dispatcher dispatcher;
    private final ServerWebSocketContainer webSockets;
    private final ConnectionConfig limits;

    /**
     * @param dispatcher  every route of the gateway
     * @param webSockets  the container that upgrades {@code /v1/ws}
     * @param staticFiles the handler for paths no route serves (may be null)
     * @param limits      the minimum body rate the requests' bodies enforce
     */
    GatewayHandler(
            Dispatcher dispatcher, ServerWebSocketContainer webSockets, Handler staticFiles, ConnectionConfig limits) {
        super(staticFiles);
        this.dispatcher = dispatcher;
        this.webSockets = webSockets;
        this.limits = limits;
    }

    /** Blocking: Jetty must run it on a (virtual) thread of its own, never on a selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback jettyCallback) {
        Callback callback = timed(request, jettyCallback);
        try {
            Dispatcher.Fallback files =
                    getHandler() == null ? Dispatcher.Fallback.NONE : () -> super.handle(request, response, callback);
            if (dispatcher.dispatch(new JettyExchange(request, response, webSockets, limits), files)) {
                callback.succeeded();
            }
        } catch (BadHttpRequestException e) {
            // the client's error, and its answer could not be sent (the client is gone): abort the
            // exchange without Jetty's error answer (it would be a 500 to nobody)
            callback.failed(new AbortException(e.getMessage()));
        } catch (Throwable t) {
            callback.failed(t);
        }
        return true;
    }

    /**
     * Marks the request's headers as arrived on its connection and returns a callback that marks the
     * exchange's end; the callback as it is on connections that are not the gateway's.
     */
    static Callback timed(Request request, Callback callback) {
        GuardedEndPoint endPoint = GuardedEndPoint.of(request);
        if (endPoint == null) {
            return callback;
        }
        endPoint.requestStarted();
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                endPoint.requestEnded();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                endPoint.requestEnded();
                super.failed(x);
            }
        };
    }
}
