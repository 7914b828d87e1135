/**
 * The Vercel AI SDK's UI message stream protocol: {@code POST /v1/ui/chat}, its resume and stop
 * routes ({@link io.aistream.server.aisdk.UiChatEndpoints}).
 *
 * <p>Written against {@code io.aistream.server.http}; imports {@code .streams} and {@code .metrics},
 * never another protocol package, the Jetty binding, Jetty or the Servlet API.
 */
package io.aistream.server.aisdk;
