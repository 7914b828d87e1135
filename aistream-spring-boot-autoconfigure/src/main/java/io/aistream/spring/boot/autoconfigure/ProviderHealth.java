package io.aistream.spring.boot.autoconfigure;

import io.aistream.provider.registry.ProviderRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the health indicator of one live provider reports. "UP" means the provider is configured and
 * live in the registry (its key was found, its settings validated): no request is sent to the
 * provider, so "UP" says nothing about the provider's own availability, and costs nothing. The details
 * are the models it advertises and, when the properties set one, its base URL (never its key).
 */
final class ProviderHealth {
    private ProviderHealth() {}

    /** Provider name → details, in the registry's order. */
    static Map<String, Map<String, Object>> details(ProviderRegistry registry, AiStreamSettings settings) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String name : registry.providerNames()) {
            Map<String, Object> d = new LinkedHashMap<>();
            registry.provider(name).ifPresent(p -> d.put("models", p.models()));
            JsonNode url = settings.tree().path("providers").path(name).path("baseUrl");
            if (url.isString()) {
                d.put("baseUrl", url.stringValue());
            }
            out.put(name, d);
        }
        return out;
    }
}
