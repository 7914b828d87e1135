package io.aistream.provider.openai;

import io.aistream.provider.spi.Environment;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registers OpenAI Chat Completions ({@value OpenAiChatProtocol#ID}) and its OpenAI-compatible presets
 * (see {@link OpenAiCompatible}).
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>provider</th><th>variables</th></tr>
 *   <tr><td>openai</td><td>{@code OPENAI_API_KEY}, optional {@code OPENAI_BASE_URL}</td></tr>
 *   <tr><td>azure-openai</td><td>{@code AZURE_OPENAI_API_KEY} + {@code AZURE_OPENAI_ENDPOINT}, optional
 *       {@code AZURE_OPENAI_API_VERSION}, {@code AZURE_OPENAI_DEPLOYMENT}</td></tr>
 *   <tr><td>mistral, deepseek, openrouter, groq, together, xai</td><td>{@code <NAME>_API_KEY}</td></tr>
 *   <tr><td>vllm, lmstudio, llamacpp, ollama-openai</td><td>none (local servers: configure them in the
 *       config file)</td></tr>
 * </table>
 * A preset name is matched case-insensitively, {@code _} and {@code -} alike. {@code ollama-openai}
 * also reads recorded {@code ollama} bodies that are SSE (Ollama's {@code /v1} endpoint).
 */
public final class OpenAiChatDescriptor extends SimpleDescriptor {
    private static final List<ProviderPreset> PRESETS = buildPresets();

    /** For {@link java.util.ServiceLoader}. */
    public OpenAiChatDescriptor() {
        super(
                OpenAiChatProtocol.ID,
                10,
                Set.of(WireFormat.SSE),
                PRESETS,
                config -> new OpenAiChatProtocol(OpenAiCompatible.forConfig(config)));
    }

    @Override
    public Optional<ProviderPreset> preset(String name) {
        return OpenAiCompatible.fromId(name)
                .flatMap(p ->
                        PRESETS.stream().filter(s -> s.name().equals(p.id())).findFirst());
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "",
                textDeltas,
                w -> "data: {\"id\":\"chatcmpl-Bx7kQ2v9TnR4mWp1sLc8aZyE3fHdJ\","
                        + "\"object\":\"chat.completion.chunk\",\"created\":1754380801,\"model\":\"gpt-4o-mini-2024-07-18\","
                        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"" + w
                        + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,"
                        + "\"obfuscation\":\"EL4VS\"}\n\n",
                "data: {\"id\":\"chatcmpl-B\",\"object\":\"chat.completion.chunk\",\"created\":1754380801,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: {\"id\":\"chatcmpl-B\",\"object\":\"chat.completion.chunk\",\"created\":1754380801,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":"
                        + textDeltas + ",\"total_tokens\":" + (textDeltas + 9) + "}}\n\ndata: [DONE]\n\n"));
    }

    // Orders keep the environment's providers where they always were: openai first, azure-openai after
    // the first-party providers, then the hosted compatible ones; local servers are never in the environment.
    private static List<ProviderPreset> buildPresets() {
        List<ProviderPreset> out = new ArrayList<>();
        out.add(ProviderPreset.of("openai", 10, OpenAiCompatible.OPENAI.defaultBaseUrl())
                .readingApiKey(OpenAiChatProtocol.ID, "OPENAI_API_KEY", "OPENAI_BASE_URL"));
        out.add(ProviderPreset.of("azure-openai", 70, Optional.empty())
                .readingEnvironment(
                        List.of(
                                "AZURE_OPENAI_API_KEY",
                                "AZURE_OPENAI_ENDPOINT",
                                "AZURE_OPENAI_API_VERSION",
                                "AZURE_OPENAI_DEPLOYMENT"),
                        OpenAiChatDescriptor::azure));
        int order = 90;
        for (OpenAiCompatible preset : List.of(
                OpenAiCompatible.MISTRAL,
                OpenAiCompatible.DEEPSEEK,
                OpenAiCompatible.OPENROUTER,
                OpenAiCompatible.GROQ,
                OpenAiCompatible.TOGETHER,
                OpenAiCompatible.XAI)) {
            out.add(ProviderPreset.of(preset.id(), order, preset.defaultBaseUrl())
                    .readingApiKey(
                            OpenAiChatProtocol.ID,
                            List.of(preset.apiKeyEnv().orElseThrow()),
                            Optional.empty(),
                            Map.of("preset", preset.id())));
            order += 10;
        }
        order = 200;
        for (OpenAiCompatible preset :
                List.of(OpenAiCompatible.VLLM, OpenAiCompatible.LMSTUDIO, OpenAiCompatible.LLAMACPP)) {
            out.add(ProviderPreset.of(preset.id(), order, preset.defaultBaseUrl()));
            order += 10;
        }
        out.add(ProviderPreset.of(
                        OpenAiCompatible.OLLAMA_OPENAI.id(), order, OpenAiCompatible.OLLAMA_OPENAI.defaultBaseUrl())
                .withAliases("ollama"));
        return List.copyOf(out);
    }

    private static Optional<ProviderConfig> azure(Environment env) {
        Optional<String> key = env.get("AZURE_OPENAI_API_KEY");
        Optional<String> endpoint = env.get("AZURE_OPENAI_ENDPOINT");
        if (key.isEmpty() || endpoint.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("preset", "azure-openai");
        env.get("AZURE_OPENAI_API_VERSION").ifPresent(v -> settings.put("apiVersion", v));
        env.get("AZURE_OPENAI_DEPLOYMENT").ifPresent(v -> settings.put("deployment", v));
        return Optional.of(new ProviderConfig(
                "azure-openai", OpenAiChatProtocol.ID, Environment.url(endpoint.get()), key, settings));
    }
}
