/**
 * The unified, provider-neutral chat request: {@link io.aistream.request.ChatRequest} with its
 * messages, content parts, tools and options. Each provider maps it to its own request JSON and
 * rejects, with a clear error, any option it cannot honour.
 */
package io.aistream.request;
