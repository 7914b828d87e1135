/**
 * The gateway's HTTP-neutral exchange, which every binding (Jetty here; Servlet and WebFlux in other
 * modules) implements and every protocol is written against: {@link io.aistream.server.http.HttpRequest},
 * {@link io.aistream.server.http.HttpResponse} (an event-flushing body stream and the "client went
 * away" signal {@link io.aistream.server.http.ClientGone}), {@link io.aistream.server.http.HttpExchange}
 * with its WebSocket upgrade ({@link io.aistream.server.http.WsConnection} out,
 * {@link io.aistream.server.http.WsHandler} in); the one route shape ({@link io.aistream.server.http.Route},
 * {@link io.aistream.server.http.Routes}, {@link io.aistream.server.http.Access},
 * {@link io.aistream.server.http.ErrorWriter}), authentication ({@link io.aistream.server.http.ApiKeys}),
 * CORS, and the {@link io.aistream.server.http.Dispatcher} that bindings call.
 *
 * <p>Imports nothing of Jetty or the Servlet API, and no other package of the server but
 * {@code io.aistream.server} itself.
 */
package io.aistream.server.http;
