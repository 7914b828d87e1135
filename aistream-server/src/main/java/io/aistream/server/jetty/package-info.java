/**
 * The Jetty 12 core binding: the server and connector setup ({@link io.aistream.server.jetty.JettyGateway}),
 * the handler that adapts Jetty's request, response and callback to the neutral exchange
 * ({@code GatewayHandler}), disconnect detection behind {@link io.aistream.server.http.ClientGone},
 * the JSON error handler and the demo page's static files. The only place (with {@code .jetty.ws})
 * that imports Jetty; it talks to the protocols only through {@code io.aistream.server.assembly} and
 * {@code io.aistream.server.http}. Not exported.
 */
package io.aistream.server.jetty;
