package io.aistream.spring.boot.autoconfigure;

import io.aistream.provider.registry.ProviderRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A health indicator per live provider, grouped under {@code aistream} in {@code /actuator/health}
 * ({@code components.aistream.components.<provider>}). "UP" means configured and live in the registry,
 * with no network probe (see {@link ProviderHealth}). Spring Boot 3 and 4 keep the health API in
 * different packages: one nested configuration for each, chosen by the class present.
 */
@Configuration(proxyBeanMethods = false)
@Import({AiStreamHealthConfiguration.Boot3.class, AiStreamHealthConfiguration.Boot4.class})
public class AiStreamHealthConfiguration {
    /** Created by Spring. */
    public AiStreamHealthConfiguration() {}

    /** Spring Boot 3's {@code org.springframework.boot.actuate.health} API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    public static class Boot3 {
        /** Created by Spring. */
        public Boot3() {}

        /** One indicator per live provider. */
        @Bean
        @ConditionalOnMissingBean(name = "aistreamHealthContributor")
        public org.springframework.boot.actuate.health.CompositeHealthContributor aistreamHealthContributor(
                ProviderRegistry registry, AiStreamSettings settings) {
            Map<String, org.springframework.boot.actuate.health.HealthIndicator> indicators = new LinkedHashMap<>();
            ProviderHealth.details(registry, settings)
                    .forEach((name, details) -> indicators.put(
                            name,
                            () -> org.springframework.boot.actuate.health.Health.up()
                                    .withDetails(details)
                                    .build()));
            return org.springframework.boot.actuate.health.CompositeHealthContributor.fromMap(indicators);
        }
    }

    /** Spring Boot 4's {@code org.springframework.boot.health.contributor} API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    public static class Boot4 {
        /** Created by Spring. */
        public Boot4() {}

        /** One indicator per live provider. */
        @Bean
        @ConditionalOnMissingBean(name = "aistreamHealthContributor")
        public org.springframework.boot.health.contributor.CompositeHealthContributor aistreamHealthContributor(
                ProviderRegistry registry, AiStreamSettings settings) {
            Map<String, org.springframework.boot.health.contributor.HealthIndicator> indicators = new LinkedHashMap<>();
            ProviderHealth.details(registry, settings)
                    .forEach((name, details) -> indicators.put(
                            name,
                            () -> org.springframework.boot.health.contributor.Health.up()
                                    .withDetails(details)
                                    .build()));
            return org.springframework.boot.health.contributor.CompositeHealthContributor.fromMap(indicators);
        }
    }
}
