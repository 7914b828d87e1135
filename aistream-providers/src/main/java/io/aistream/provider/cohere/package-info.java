/**
 * Cohere's v2 Chat API: {@link io.aistream.provider.cohere.CohereProtocol} (request mapping, errors;
 * the mapping tables are on it) and {@link io.aistream.provider.cohere.CohereDecoder} (the event
 * stream); registered by {@link io.aistream.provider.cohere.CohereDescriptor}. Knows nothing of other
 * providers.
 */
package io.aistream.provider.cohere;
