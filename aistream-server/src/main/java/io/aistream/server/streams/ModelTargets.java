package io.aistream.server.streams;

import io.aistream.provider.ChatProvider;
import io.aistream.provider.ModelRef;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.request.ChatRequest;
import io.aistream.stream.Backpressure;
import io.aistream.stream.ChatStream;
import io.aistream.stream.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How the compatibility endpoints (OpenAI Chat and Responses, Anthropic Messages) read their single
 * {@code model} text: a name of the provider map (a provider, an alias or a chain, which then uses its
 * own default model), else {@code provider/model} (only the first slash separates), where the
 * provider must exist and, when it lists its models, list that one. Stateless and thread-safe.
 */
public final class ModelTargets {
    /** How many ids an unknown-model message lists before it says how many there are in all. */
    public static final int MAX_LISTED = 60;

    private ModelTargets() {}

    /**
     * A provider-map name and the model to ask it for.
     *
     * @param provider the provider-map name (provider, alias or chain)
     * @param model    the model to ask for; empty to let the provider use its default
     */
    public record Target(String provider, Optional<String> model) {
        public Target {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
        }

        /** {@code request} with this target's model, when it names one (else the provider's default). */
        public ChatRequest apply(ChatRequest request) {
            return model.isEmpty()
                    ? request
                    : request.toBuilder().model(model.get()).build();
        }

        /**
         * The stream a compatibility endpoint starts for {@code request} (already {@link #apply applied}):
         * this provider, backpressure {@code block} (the endpoint pulls on its own thread), not resumable
         * (these protocols have no resume), no gateway timeouts beyond the provider's.
         */
        public StreamRequest stream(ChatRequest request) {
            return new StreamRequest(
                    provider,
                    request,
                    Backpressure.BLOCK,
                    ChatStream.Builder.DEFAULT_BUFFER_CAPACITY,
                    false,
                    Timeouts.none());
        }
    }

    /** The model text names nothing this gateway serves; each endpoint words it in its own error shape. */
    public static final class UnknownModelException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String model;
        private final String available;
        private final String notConfigured; // null: none

        UnknownModelException(String model, String available, Optional<String> notConfigured) {
            super("unknown model '" + model + "'", null, false, false);
            this.model = model;
            this.available = available;
            this.notConfigured = notConfigured.orElse(null);
        }

        /**
         * When the model names a well-known provider that this gateway does not serve because its
         * key is not set: what is missing ("the provider 'anthropic' is not configured on this
         * gateway: ANTHROPIC_API_KEY is not set").
         */
        public Optional<String> notConfigured() {
            return Optional.ofNullable(notConfigured);
        }

        /** The model text as the request gave it. */
        public String model() {
            return model;
        }

        /**
         * The whole explanation for a person, protocol-neutral: what was asked for and what exists (or
         * what is missing to serve it). Endpoints put it in their own error shape.
         */
        public String describe() {
            if (notConfigured != null) {
                return "The model '" + model + "' cannot be served: " + notConfigured + ". Available: " + available
                        + ".";
            }
            return "The model '" + model + "' does not exist. Use provider/model or an alias; available: " + available
                    + ".";
        }

        /** The ids that exist, comma-separated, cut after {@link #MAX_LISTED} with the total. */
        public String available() {
            return available;
        }
    }

    /**
     * Resolves {@code model} against {@code providers}.
     *
     * @throws UnknownModelException when it names nothing served here
     */
    public static Target resolve(Map<String, ChatProvider> providers, String model) {
        if (providers.containsKey(model)) {
            return new Target(model, Optional.empty());
        }
        ModelRef ref;
        try {
            ref = ModelRef.parse(model);
        } catch (IllegalArgumentException e) {
            throw unknown(providers, model);
        }
        ChatProvider provider = providers.get(ref.provider());
        if (provider == null
                || (!provider.models().isEmpty() && !provider.models().contains(ref.model()))) {
            throw unknown(providers, model);
        }
        return new Target(ref.provider(), Optional.of(ref.model()));
    }

    /**
     * Every id {@link #resolve} accepts by name, sorted: each provider-map name, and
     * {@code name/model} for each model a provider lists.
     */
    public static TreeSet<String> ids(Map<String, ChatProvider> providers) {
        TreeSet<String> ids = new TreeSet<>();
        providers.forEach((name, provider) -> {
            ids.add(name);
            provider.models().forEach(m -> ids.add(name + "/" + m));
        });
        return ids;
    }

    private static UnknownModelException unknown(Map<String, ChatProvider> providers, String model) {
        List<String> known = new ArrayList<>(ids(providers));
        String list = known.size() <= MAX_LISTED
                ? String.join(", ", known)
                : String.join(", ", known.subList(0, MAX_LISTED)) + ", … (" + known.size() + " in all)";
        // the provider part: the text before the first slash, or all of it
        int slash = model.indexOf('/');
        String provider = slash < 0 ? model : model.substring(0, slash);
        Optional<String> notConfigured =
                providers.containsKey(provider) ? Optional.empty() : ProtocolCatalog.notConfigured(provider);
        return new UnknownModelException(model, list, notConfigured);
    }
}
