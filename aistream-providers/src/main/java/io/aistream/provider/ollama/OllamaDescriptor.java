package io.aistream.provider.ollama;

import io.aistream.provider.spi.Environment;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registers Ollama's native chat API ({@value OllamaProtocol#ID}, NDJSON): the provider {@code ollama},
 * configured by {@code OLLAMA_HOST} (host, host:port or URL, as the Ollama CLI reads it; no key).
 */
public final class OllamaDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public OllamaDescriptor() {
        super(
                OllamaProtocol.ID,
                50,
                Set.of(WireFormat.NDJSON),
                List.of(ProviderPreset.of(OllamaProtocol.ID, 60, Optional.of(OllamaProtocol.DEFAULT_BASE_URL))
                        .readingEnvironment(
                                List.of("OLLAMA_HOST"),
                                env -> env.get("OLLAMA_HOST")
                                        .map(host -> new ProviderConfig(
                                                OllamaProtocol.ID,
                                                OllamaProtocol.ID,
                                                hostUrl(host),
                                                Optional.empty(),
                                                Map.of())))),
                config -> new OllamaProtocol());
    }

    /** {@code OLLAMA_HOST} as a base URL: {@code http://} and port 11434 unless given; 0.0.0.0 means this host. */
    static URI hostUrl(String host) {
        String h = host.strip();
        if (!h.contains("://")) {
            h = "http://" + (h.startsWith("0.0.0.0") ? "127.0.0.1" + h.substring(7) : h);
        }
        URI uri = Environment.url(h);
        return uri.getPort() < 0 && uri.getPath().isEmpty() ? URI.create(h + ":11434") : uri;
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "",
                textDeltas,
                w -> "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-14T09:21:10.183452113Z\","
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + w + "\"},\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-14T09:21:11Z\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":26,"
                        + "\"eval_count\":" + textDeltas + "}\n"));
    }
}
