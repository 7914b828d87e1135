package io.aistream.provider.registry;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.ModelRef;
import io.aistream.provider.UnknownModelException;
import io.aistream.provider.UnknownProviderException;
import io.aistream.provider.replay.ReplayProvider;
import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.provider.transport.ProviderStreams;
import io.aistream.provider.transport.StreamOptions;
import io.aistream.provider.transport.Target;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The live providers, aliases and fallback chains, built from the environment and an optional
 * config file, and the one place that turns "provider + model" into a stream.
 *
 * <p>The {@code simulated} provider is live unless the config file says {@code "simulated":
 * {"enabled": false}}, so everything works with no keys and no network; with
 * {@link Builder#simulatedCapped(boolean)} each request is capped (see {@link SimulatedProvider.Caps}).
 * Providers come from {@link EnvironmentProviders} and the config file's {@code providers} section (a
 * file entry overrides an environment one of the same name). Names resolve in this order: a
 * provider, an alias ({@code "fast": "groq/llama-3.1-8b-instant"}), a chain
 * ({@code "robust": ["anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini"]}).
 *
 * <p>Thread-safe and immutable once built.
 */
public final class ProviderRegistry {
    private final Map<String, ChatProvider> providers;
    private final Map<String, ModelRef> aliases;
    private final Map<String, List<ModelRef>> chains;
    private final StreamOptions options;
    private final PriceTable prices;

    private ProviderRegistry(
            Map<String, ChatProvider> providers,
            Map<String, ModelRef> aliases,
            Map<String, List<ModelRef>> chains,
            StreamOptions options,
            PriceTable prices) {
        this.providers = providers;
        this.aliases = aliases;
        this.chains = chains;
        this.options = options;
        this.prices = prices;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The top-level config keys the registry reads: {@code providers}, {@code aliases}, {@code chains}, ... */
    public static Set<String> configKeys() {
        return RegistryConfig.KEYS;
    }

    /** The live provider names, {@code simulated} first (when enabled). */
    public List<String> providerNames() {
        return List.copyOf(providers.keySet());
    }

    /** The provider with this name, if live. */
    public Optional<ChatProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** Alias name → provider/model. */
    public Map<String, ModelRef> aliases() {
        return aliases;
    }

    /** Chain name → targets in order of preference. */
    public Map<String, List<ModelRef>> chains() {
        return chains;
    }

    /**
     * The config's price table ({@code prices}); empty without one. Every stream this registry opens
     * ({@link #open}, {@link #openContinuation}, the providers of {@link #asProviders()}) gets its done
     * chunk's {@link io.aistream.chunk.DoneChunk#cost() cost} from it, made-up done chunks of aborted
     * and failed streams included, whenever the usage is known and the model is priced.
     */
    public PriceTable prices() {
        return prices;
    }

    /** Retry, recovery, timeouts and HTTP client used for HTTP providers. */
    public StreamOptions streamOptions() {
        return options;
    }

    /**
     * Every name a request may use as a provider — live providers, aliases and chains — as
     * {@link ChatProvider}s, in that order. An alias opens its provider with its model (a request's
     * own model is replaced); a chain opens the fallback chain with each target's model. With a
     * price table, every one of them prices its done chunks (see {@link #prices()}).
     */
    public Map<String, ChatProvider> asProviders() {
        Map<String, ChatProvider> all = new LinkedHashMap<>();
        providers.forEach((name, p) -> all.put(name, prices.isEmpty() ? p : new PricedProvider(p)));
        for (Map.Entry<String, ModelRef> alias : aliases.entrySet()) {
            all.put(
                    alias.getKey(),
                    new NamedRoute(alias.getKey(), List.of(alias.getValue().model())));
        }
        for (String chain : chains.keySet()) {
            all.put(chain, new NamedRoute(chain, List.of()));
        }
        return Collections.unmodifiableMap(all);
    }

    /** A live provider whose streams get their cost from the price table. */
    private final class PricedProvider implements ChatProvider {
        private final ChatProvider inner;

        PricedProvider(ChatProvider inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<String> models() {
            return inner.models();
        }

        @Override
        public ChunkSource open(ChatRequest request) {
            return open(request, AttemptObserver.NONE);
        }

        @Override
        public ChunkSource open(ChatRequest request, AttemptObserver observer) {
            return prices.priced(inner.open(request, observer), requested(request));
        }

        @Override
        public Optional<ChunkSource> openContinuation(ChatRequest request, String sentText, AttemptObserver observer) {
            return inner.openContinuation(request, sentText, observer)
                    .map(source -> prices.priced(source, requested(request)));
        }

        private ModelRef requested(ChatRequest request) {
            return request.model()
                    .filter(m -> !m.isBlank())
                    .map(m -> new ModelRef(inner.name(), m))
                    .orElse(null);
        }
    }

    /** An alias or chain seen as a provider. */
    private final class NamedRoute implements ChatProvider {
        private final String name;
        private final List<String> models;

        NamedRoute(String name, List<String> models) {
            this.name = name;
            this.models = models;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> models() {
            return models;
        }

        @Override
        public ChunkSource open(ChatRequest request) {
            return open(request, AttemptObserver.NONE);
        }

        @Override
        public ChunkSource open(ChatRequest request, AttemptObserver observer) {
            return ProviderRegistry.this.open(resolve(Optional.of(name), Optional.empty()), request, observer);
        }

        @Override
        public Optional<ChunkSource> openContinuation(ChatRequest request, String sentText, AttemptObserver observer) {
            return ProviderRegistry.this.openContinuation(
                    resolve(Optional.of(name), Optional.empty()), request, sentText, observer);
        }
    }

    /**
     * Works out what {@code provider} and {@code model} (either may be empty) name: a provider and
     * model, {@code provider/model} in the model field, an alias or a chain.
     *
     * @throws UnknownProviderException if nothing by that name is configured
     * @throws UnknownModelException    if the provider lists its models and this is not one of them
     */
    public Resolution resolve(Optional<String> provider, Optional<String> model) {
        if (provider.isPresent()) {
            String name = provider.get();
            if (providers.containsKey(name)) {
                ChatProvider p = providers.get(name);
                String m = model.orElseGet(
                        () -> p.models().isEmpty() ? "" : p.models().get(0));
                if (m.isEmpty()) {
                    throw new AIStreamException(ErrorCode.INVALID_REQUEST, "provider '" + name + "' needs a model");
                }
                if (!p.models().isEmpty() && !p.models().contains(m)) {
                    throw new UnknownModelException(name, m, p.models());
                }
                return new Resolution(List.of(new ModelRef(name, m)));
            }
            return named(name).orElseThrow(() -> new UnknownProviderException(name, available()));
        }
        String m = model.orElseThrow(() -> new AIStreamException(
                ErrorCode.INVALID_REQUEST, "name a provider, or a model as provider/model or an alias"));
        Optional<Resolution> named = named(m);
        if (named.isPresent()) {
            return named.get();
        }
        ModelRef ref;
        try {
            ref = ModelRef.parse(m);
        } catch (IllegalArgumentException e) {
            throw new UnknownProviderException(m, available());
        }
        return resolve(Optional.of(ref.provider()), Optional.of(ref.model()));
    }

    private Optional<Resolution> named(String name) {
        if (aliases.containsKey(name)) {
            ModelRef ref = aliases.get(name);
            return Optional.of(resolve(Optional.of(ref.provider()), Optional.of(ref.model())));
        }
        if (chains.containsKey(name)) {
            return Optional.of(new Resolution(chains.get(name)));
        }
        return Optional.empty();
    }

    private List<String> available() {
        List<String> names = new ArrayList<>(providers.keySet());
        names.addAll(aliases.keySet());
        names.addAll(chains.keySet());
        return names;
    }

    /**
     * Opens a stream for {@code request} on what {@code resolution} names (its model replaces the
     * request's). Nothing is sent before the source's first {@code next()}.
     */
    public ChunkSource open(Resolution resolution, ChatRequest request) {
        return open(resolution, request, AttemptObserver.NONE);
    }

    /** Like {@link #open(Resolution, ChatRequest)}, with {@code observer} hearing retries, fallbacks and continuations. */
    public ChunkSource open(Resolution resolution, ChatRequest request, AttemptObserver observer) {
        List<ModelRef> chain = resolution.chain();
        if (chain.size() == 1) {
            ModelRef only = chain.get(0);
            return prices.priced(
                    provider(only.provider())
                            .orElseThrow(() -> new UnknownProviderException(only.provider(), available()))
                            .open(request.toBuilder().model(only.model()).build(), observer),
                    only);
        }
        return prices.priced(ProviderStreams.open(targets(chain), request, options.withObserver(observer)), null);
    }

    /**
     * Like {@link #open(Resolution, ChatRequest, AttemptObserver)}, for a stream that continues an
     * answer of which {@code sentText} was already delivered (see
     * {@link ChatProvider#openContinuation}). A chain continues on its members whose protocol
     * supports assistant prefill.
     *
     * @return the continuing source, or empty when what {@code resolution} names cannot continue an
     *         answer exactly
     */
    public Optional<ChunkSource> openContinuation(
            Resolution resolution, ChatRequest request, String sentText, AttemptObserver observer) {
        List<ModelRef> chain = resolution.chain();
        if (chain.size() == 1) {
            ModelRef only = chain.get(0);
            return provider(only.provider())
                    .orElseThrow(() -> new UnknownProviderException(only.provider(), available()))
                    .openContinuation(request.toBuilder().model(only.model()).build(), sentText, observer)
                    .map(source -> prices.priced(source, only));
        }
        return ProviderStreams.openContinuation(targets(chain), request, sentText, options.withObserver(observer))
                .map(source -> prices.priced(source, null));
    }

    /**
     * The upstream HTTP request a stream of {@code request} on what {@code resolution} names would
     * send first (a chain's first target), built with no network: the protocol's
     * {@link io.aistream.provider.spi.ProviderProtocol#toDryRunRequest}. Credentials are in it as
     * configured (a protocol whose credentials need I/O puts a placeholder there): redact before
     * showing it.
     *
     * @throws AIStreamException ({@code invalid_request}) if the target is not an HTTP provider
     *                           (the simulated and replay providers send nothing)
     * @throws io.aistream.provider.spi.UnsupportedOptionException if the protocol cannot express the request
     */
    public UpstreamRequest dryRun(Resolution resolution, ChatRequest request) {
        ModelRef first = resolution.chain().get(0);
        ChatProvider p = provider(first.provider())
                .orElseThrow(() -> new UnknownProviderException(first.provider(), available()));
        if (!(p instanceof HttpChatProvider http)) {
            throw new AIStreamException(
                    ErrorCode.INVALID_REQUEST,
                    "provider '" + first.provider() + "' runs in process and sends no HTTP request");
        }
        return http.protocol()
                .toDryRunRequest(request.toBuilder().model(first.model()).build(), http.config());
    }

    private List<Target> targets(List<ModelRef> chain) {
        List<Target> targets = new ArrayList<>();
        for (ModelRef ref : chain) {
            ChatProvider p = provider(ref.provider())
                    .orElseThrow(() -> new UnknownProviderException(ref.provider(), available()));
            if (!(p instanceof HttpChatProvider http)) {
                throw new InvalidConfigException("chain member '" + ref + "' is not an HTTP provider");
            }
            targets.add(new Target(http.protocol(), http.config(), ref.model()));
        }
        return targets;
    }

    /** What a request's provider and model resolved to: one target, or a fallback chain. */
    public record Resolution(List<ModelRef> chain) {
        public Resolution {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a resolution needs a target");
            }
        }

        /** The first target's provider (for logs and metrics). */
        public String provider() {
            return chain.get(0).provider();
        }

        /** The first target's model. */
        public String model() {
            return chain.get(0).model();
        }
    }

    /** Builds a {@link ProviderRegistry}; not thread-safe. */
    public static final class Builder {
        private Map<String, String> env = Map.of();
        private JsonNode config;
        private Set<String> otherConfigKeys = Set.of();
        private TimeSource time = TimeSource.system();
        private double simulatedTokensPerSecond;
        private boolean simulatedCapped;

        private Builder() {}

        /** The environment to read keys from (usually {@code System.getenv()}). */
        public Builder environment(Map<String, String> variables) {
            this.env = Map.copyOf(variables);
            return this;
        }

        /**
         * A parsed config file. Its top-level keys must be {@link #configKeys()} or {@code otherKeys}
         * (sections the caller reads itself, e.g. the server's).
         */
        public Builder config(JsonNode root, Set<String> otherKeys) {
            this.config = Objects.requireNonNull(root, "config");
            this.otherConfigKeys = Set.copyOf(otherKeys);
            return this;
        }

        /** The clock for pacing, backoff and timeouts. */
        public Builder time(TimeSource source) {
            this.time = Objects.requireNonNull(source, "time");
            return this;
        }

        /** The simulated provider's pace unless the config file sets one (0 = unpaced). */
        public Builder simulatedTokensPerSecond(double pace) {
            this.simulatedTokensPerSecond = pace;
            return this;
        }

        /**
         * Whether the simulated provider caps each request ({@code simulated.maxLength},
         * {@code simulated.maxTokensPerSecond}, no unpaced answers): a gateway that requires API keys
         * serves strangers and sets this. Default false.
         */
        public Builder simulatedCapped(boolean capped) {
            this.simulatedCapped = capped;
            return this;
        }

        private SimulatedProvider simulated(RegistryConfig cfg) {
            if (!simulatedCapped) {
                return new SimulatedProvider(time, cfg.simulatedTokensPerSecond());
            }
            try {
                return new SimulatedProvider(
                        time, cfg.simulatedTokensPerSecond(), cfg.simulated().caps());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("config 'simulated.tokensPerSecond': " + e.getMessage()
                        + " (simulated.maxTokensPerSecond) when the gateway requires API keys");
            }
        }

        /**
         * Builds the registry.
         *
         * @throws InvalidConfigException naming the entry when the config is invalid
         */
        public ProviderRegistry build() {
            RegistryConfig cfg = config == null
                    ? RegistryConfig.defaults(simulatedTokensPerSecond)
                    : RegistryConfig.parse(config, otherConfigKeys, simulatedTokensPerSecond);
            UpstreamClient client = cfg.connectTimeout()
                    .map(t -> UpstreamClient.builder().connectTimeout(t).build())
                    .orElseGet(UpstreamClient::shared);
            StreamOptions options = StreamOptions.defaults()
                    .withRetry(cfg.retry())
                    .withRecovery(cfg.recovery())
                    .withTimeouts(cfg.timeouts())
                    .withTime(time)
                    .withClient(client);

            Map<String, ChatProvider> providers = new LinkedHashMap<>();
            if (cfg.simulated().enabled()) {
                providers.put(SimulatedProvider.NAME, simulated(cfg));
            }
            cfg.replayRoot()
                    .ifPresent(root ->
                            providers.put(ReplayProvider.NAME, new ReplayProvider(root, ProtocolCatalog::byId, time)));
            Map<String, ProviderConfig> configs = new LinkedHashMap<>();
            for (ProviderConfig c : EnvironmentProviders.read(env)) {
                configs.put(c.name(), c);
            }
            Map<String, List<String>> models = new LinkedHashMap<>();
            for (RegistryConfig.ProviderEntry e : cfg.providers()) {
                configs.put(e.name(), fromEntry(e, configs.get(e.name())));
                models.put(e.name(), e.models());
            }
            for (ProviderConfig c : configs.values()) {
                if (providers.containsKey(c.name())) {
                    throw new InvalidConfigException("provider name '" + c.name() + "' is reserved");
                }
                providers.put(
                        c.name(),
                        new HttpChatProvider(
                                c, ProtocolCatalog.create(c), models.getOrDefault(c.name(), List.of()), options));
            }
            ProviderRegistry registry = new ProviderRegistry(
                    Collections.unmodifiableMap(providers),
                    Map.copyOf(cfg.aliases()),
                    Map.copyOf(cfg.chains()),
                    options,
                    cfg.prices());
            for (Map.Entry<String, ModelRef> alias : cfg.aliases().entrySet()) {
                if (providers.containsKey(alias.getKey())) {
                    throw new InvalidConfigException("alias '" + alias.getKey() + "' hides the provider of that name");
                }
                if (!providers.containsKey(alias.getValue().provider())) {
                    throw new InvalidConfigException("alias '" + alias.getKey() + "' names provider '"
                            + alias.getValue().provider() + "', which is not live; live: " + providers.keySet());
                }
            }
            for (Map.Entry<String, List<ModelRef>> chain : cfg.chains().entrySet()) {
                for (ModelRef ref : chain.getValue()) {
                    ChatProvider p = providers.get(ref.provider());
                    if (!(p instanceof HttpChatProvider)) {
                        throw new InvalidConfigException("chain '" + chain.getKey() + "' names '" + ref.provider()
                                + "', which is not a live HTTP provider; live: " + providers.keySet());
                    }
                }
            }
            return registry;
        }

        private ProviderConfig fromEntry(RegistryConfig.ProviderEntry e, ProviderConfig fromEnv) {
            Optional<String> key =
                    e.apiKey().or(() -> e.apiKeyEnv().map(env::get).filter(v -> !v.isBlank()));
            if (e.apiKeyEnv().isPresent() && key.isEmpty()) {
                throw new InvalidConfigException("provider '" + e.name() + "': the variable "
                        + e.apiKeyEnv().get() + " named by apiKeyEnv is not set");
            }
            if (key.isEmpty() && fromEnv != null) {
                key = fromEnv.apiKey();
            }
            URI base = e.baseUrl()
                    .or(() -> Optional.ofNullable(fromEnv).map(ProviderConfig::baseUrl))
                    .or(() -> ProtocolCatalog.descriptor(e.protocol())
                            .flatMap(d -> d.defaultBaseUrl(e.settings().getOrDefault("preset", e.name()))))
                    .orElseThrow(() -> new InvalidConfigException("provider '" + e.name() + "' needs a baseUrl"));
            Map<String, String> settings = new LinkedHashMap<>();
            if (fromEnv != null) {
                settings.putAll(fromEnv.settings());
            }
            settings.putAll(e.settings());
            return new ProviderConfig(e.name(), e.protocol(), base, key, settings);
        }
    }
}
