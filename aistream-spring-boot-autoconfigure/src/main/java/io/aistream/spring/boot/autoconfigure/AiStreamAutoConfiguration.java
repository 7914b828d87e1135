package io.aistream.spring.boot.autoconfigure;

import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.direct.StreamResponses;
import io.aistream.server.resume.ResumeStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * aistream in a Spring Boot application: the provider registry and the gateway's server configuration
 * from the {@code aistream.*} properties (the keys of aistream's JSON config file, validated by the
 * same code, plus the environment variables {@code aistream serve} reads), the gateway's routes (with
 * the application's {@link MeterRegistry} when there is one), their graceful drain at shutdown, and the
 * mounts on Spring MVC ({@link AiStreamWebMvcConfiguration}) or WebFlux
 * ({@link AiStreamWebFluxConfiguration}). {@code aistream.enabled=false} turns it all off.
 *
 * <p>Each bean backs off when the application defines its own of that type. An application-defined
 * {@link ResumeStore} bean is the store resumable streams are kept in; without one they are kept in
 * memory, or in Redis when {@code aistream.redis.url} (or {@code AISTREAM_REDIS_URL}) is set, or derived
 * from Spring Data Redis's Lettuce connection factory ({@link SpringDataRedisUrl}).
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
        })
@ConditionalOnProperty(prefix = "aistream", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import({
    AiStreamWebMvcConfiguration.class,
    AiStreamWebFluxConfiguration.class,
    AiStreamHealthConfiguration.class,
    SpringDataRedisUrl.Configuration.class
})
public class AiStreamAutoConfiguration {
    /** The simulated provider's pace when {@code aistream.simulated.tokens-per-second} is not set (as the CLI's). */
    public static final double DEFAULT_SIMULATED_PACE = 40;

    /** Created by Spring. */
    public AiStreamAutoConfiguration() {}

    /** The {@code aistream.*} properties, read once. */
    @Bean
    @ConditionalOnMissingBean
    public AiStreamSettings aiStreamSettings(ConfigurableEnvironment environment) {
        return AiStreamSettings.read(environment);
    }

    /**
     * The providers: the properties' provider sections (providers, aliases, chains, timeouts, retry,
     * recovery, simulated, replay) and the provider keys in the environment ({@code OPENAI_API_KEY}, ...).
     * With API keys required, the simulated provider is capped per request, as in {@code aistream serve}.
     */
    @Bean
    @ConditionalOnMissingBean
    public ProviderRegistry aiStreamProviderRegistry(AiStreamSettings settings) {
        Map<String, String> env = System.getenv();
        boolean keysRequired = settings.tree().has("apiKeys")
                || (env.get("AISTREAM_API_KEYS") != null
                        && !env.get("AISTREAM_API_KEYS").isBlank());
        try {
            return ProviderRegistry.builder()
                    .environment(env)
                    .config(settings.tree(), ServerSection.KEYS)
                    .simulatedTokensPerSecond(DEFAULT_SIMULATED_PACE)
                    .simulatedCapped(keysRequired)
                    .build();
        } catch (InvalidConfigException e) {
            throw new AiStreamConfigException(e.getMessage());
        }
    }

    /** The gateway's configuration: the properties' server sections and the registry's providers. */
    @Bean
    @ConditionalOnMissingBean
    public ServerConfig aiStreamServerConfig(
            AiStreamSettings settings,
            ProviderRegistry registry,
            ObjectProvider<ResumeStore> resumeStore,
            ObjectProvider<SpringDataRedisUrl> springDataRedis) {
        SpringDataRedisUrl redis = springDataRedis.getIfAvailable();
        Optional<String> fallback = redis == null ? Optional.empty() : redis.url();
        ServerConfig.Builder config = serverSettings(settings, fallback).config();
        config.providers(registry.asProviders());
        ResumeStore store = resumeStore.getIfUnique();
        if (store != null) {
            config.resumeStore(store);
        }
        return config.build();
    }

    /**
     * Reads the server sections; the one place that turns the tree into a {@link ServerConfig.Builder}
     * (to be the server's shared settings reader once it is public).
     */
    static ServerSection.Result serverSettings(AiStreamSettings settings, Optional<String> redisFallback) {
        return ServerSection.read(settings.tree(), System.getenv(), redisFallback);
    }

    /**
     * The gateway's routes, mounted behind the host application (no host check, no CORS: the
     * application's own filters and security apply), the configured endpoint groups only, metrics in the
     * application's {@link MeterRegistry} when it has one. Closed with the context.
     */
    @Bean
    @ConditionalOnMissingBean
    public GatewayRoutes aiStreamGatewayRoutes(
            ServerConfig config, AiStreamSettings settings, ObjectProvider<MeterRegistry> meterRegistry) {
        GatewayRoutes.Builder builder =
                GatewayRoutes.builder(config).endpoints(settings.endpoints()).behindHostApplication();
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        return builder.build();
    }

    /** Drains running streams when the application stops gracefully. */
    @Bean
    public GatewayDrainLifecycle aiStreamGatewayDrain(GatewayRoutes routes, AiStreamSettings settings) {
        int grace = settings.tree().path("shutdownGraceSeconds").asInt(10);
        return new GatewayDrainLifecycle(routes, Duration.ofSeconds(Math.max(0, grace)));
    }

    /** How controller return values are written: the gateway's keep-alive interval and retry hint. */
    @Bean
    @ConditionalOnMissingBean
    public StreamResponses aiStreamResponses(ServerConfig config) {
        return new StreamResponses(config.keepAliveInterval(), config.retryMillis(), config.timeSource());
    }
}
