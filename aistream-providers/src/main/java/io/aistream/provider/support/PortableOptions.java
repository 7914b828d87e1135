package io.aistream.provider.support;

import io.aistream.provider.spi.UnsupportedOptionException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI request parameters that every provider can take because they change nothing about the
 * answer: the one place that decides, per wire protocol, which of them a request mapper sends on.
 *
 * <p>OpenAI-style clients (and the compatibility endpoints, which hand OpenAI parameters on as
 * provider options) send parameters that carry no meaning for the answer. A fallback chain sends the
 * same {@code ChatRequest} to protocols of different kinds, so the decision is made where each
 * protocol maps the request: every request mapper passes its provider options through
 * {@link #forWire} before merging them into the upstream body. Three groups:
 * <ul>
 *   <li><b>Defaults</b> — a parameter at OpenAI's own default value ({@code frequency_penalty: 0},
 *       {@code presence_penalty: 0}, {@code n: 1}, {@code logprobs: false}, {@code top_logprobs: 0},
 *       {@code response_format: {"type":"text"}}, {@code service_tier: "auto"},
 *       {@code parallel_tool_calls: true}, {@code logit_bias: {}}, {@code modalities: ["text"]}) or a
 *       JSON {@code null}: dropped on every wire, OpenAI's included (sending a default changes
 *       nothing, and OpenAI-compatible servers that lack the parameter would refuse it).</li>
 *   <li><b>Advisory</b> — bookkeeping about the caller, not the answer: {@code user},
 *       {@code safety_identifier}, {@code metadata}, {@code prompt_cache_key},
 *       {@code parallel_tool_calls: false}, {@code store}. Kept on an {@link Wire#OPENAI} wire, which
 *       knows them; dropped on {@link Wire#OTHER} ones, where a protocol with an exact field for the
 *       end user maps {@link #endUser} itself (Anthropic: {@code metadata.user_id}). One exception:
 *       {@code store: true} asks for the completion to be kept, which no other provider can do, so it
 *       is refused there with {@link UnsupportedOptionException} naming it.</li>
 *   <li><b>Everything else</b> (a non-default {@code frequency_penalty}, a {@code json_schema}
 *       {@code response_format}, provider-specific options) passes unchanged: the protocol or the
 *       upstream refuses what it cannot honour, naming it.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PortableOptions {

    /** Which family of request bodies a protocol writes. */
    public enum Wire {
        /** OpenAI's Chat Completions or Responses bodies (OpenAI and the OpenAI-compatible servers). */
        OPENAI,
        /** Any other body (Anthropic, Gemini, Bedrock, Cohere, Ollama's native API, the simulator). */
        OTHER
    }

    /** The advisory parameters, kept on the OpenAI wire only. */
    public static final Set<String> ADVISORY =
            Set.of("user", "safety_identifier", "metadata", "prompt_cache_key", "parallel_tool_calls", "store");

    private PortableOptions() {}

    /**
     * The provider options {@code provider} sends on {@code wire}: {@code options} without the
     * defaults, and on an {@link Wire#OTHER} wire also without the advisory parameters; the order of
     * the rest is kept. The map given is not changed.
     *
     * @throws UnsupportedOptionException for {@code store: true} on an {@link Wire#OTHER} wire
     */
    public static Map<String, JsonNode> forWire(String provider, Map<String, JsonNode> options, Wire wire) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : options.entrySet()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (isDefault(name, value)) {
                continue;
            }
            if (wire == Wire.OTHER && ADVISORY.contains(name)) {
                if (name.equals("store") && value.isBoolean() && value.booleanValue()) {
                    throw new UnsupportedOptionException(
                            provider,
                            "store",
                            "only OpenAI keeps completions for later retrieval; send store: false or leave it out");
                }
                continue;
            }
            out.put(name, value);
        }
        return out;
    }

    /**
     * Whether {@code value} is OpenAI's default for the parameter {@code name} (or a JSON
     * {@code null}), so that sending it changes nothing.
     */
    public static boolean isDefault(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return true;
        }
        return switch (name) {
            case "frequency_penalty", "presence_penalty", "top_logprobs" -> value.isNumber() && value.asDouble() == 0;
            case "n" -> value.isIntegralNumber() && value.asLong() == 1;
            case "logprobs" -> value.isBoolean() && !value.booleanValue();
            case "parallel_tool_calls" -> value.isBoolean() && value.booleanValue();
            case "response_format" ->
                value.isObject() && value.size() == 1 && "text".equals(Json.text(value.get("type")));
            case "service_tier" -> "auto".equals(Json.text(value));
            case "logit_bias" -> value.isObject() && value.isEmpty();
            case "modalities" -> value.isArray() && value.size() == 1 && "text".equals(Json.text(value.get(0)));
            default -> false;
        };
    }

    /**
     * The end user the request names, for a protocol with an exact field for it:
     * {@code safety_identifier}, else {@code user}; empty when neither is a non-blank string.
     */
    public static Optional<String> endUser(Map<String, JsonNode> options) {
        for (String name : new String[] {"safety_identifier", "user"}) {
            String id = Json.text(options.get(name));
            if (id != null && !id.isBlank()) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }
}
