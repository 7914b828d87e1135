/**
 * The OpenAI-compatible protocol: {@code POST /v1/chat/completions} and {@code GET /v1/models[/{id}]}
 * ({@link io.aistream.server.openai.OpenAiEndpoint}) and the Responses API {@code POST /v1/responses}
 * with {@code GET}/{@code DELETE /v1/responses/{id}} for the responses it keeps
 * ({@link io.aistream.server.openai.ResponsesEndpoint}), every error in OpenAI's shape.
 *
 * <p>Written against {@code io.aistream.server.http}; imports {@code .streams}, never another
 * protocol package, the Jetty binding, Jetty or the Servlet API.
 */
package io.aistream.server.openai;
