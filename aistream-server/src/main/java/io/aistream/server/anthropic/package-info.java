/**
 * The Anthropic-compatible protocol: {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens},
 * every error in Anthropic's shape ({@link io.aistream.server.anthropic.MessagesEndpoint}).
 *
 * <p>Written against {@code io.aistream.server.http}; imports {@code .streams}, never another
 * protocol package, the Jetty binding, Jetty or the Servlet API.
 */
package io.aistream.server.anthropic;
