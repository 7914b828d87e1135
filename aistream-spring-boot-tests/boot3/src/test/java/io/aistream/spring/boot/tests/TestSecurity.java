package io.aistream.spring.boot.tests;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The test application's security, on either stack: HTTP Basic with two users (alice, bob); with
 * {@code test.secured=true} every {@code /v1/**} request must be authenticated, otherwise everything is
 * open. CSRF is off (an API, no browser session).
 */
@Configuration(proxyBeanMethods = false)
public class TestSecurity {
    static final String PASSWORD = "secret-password";

    private static UserDetails user(String name) {
        return User.withUsername(name)
                .password("{noop}" + PASSWORD)
                .roles("USER")
                .build();
    }

    /** Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public static class Servlet {
        @Bean
        SecurityFilterChain chain(HttpSecurity http, @Value("${test.secured:false}") boolean secured) throws Exception {
            http.csrf(c -> c.disable()).httpBasic(Customizer.withDefaults());
            if (secured) {
                http.authorizeHttpRequests(a ->
                        a.requestMatchers("/v1/**").authenticated().anyRequest().permitAll());
            } else {
                http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            }
            return http.build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(user("alice"), user("bob"));
        }
    }

    /** Spring WebFlux. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    public static class Reactive {
        @Bean
        SecurityWebFilterChain chain(ServerHttpSecurity http, @Value("${test.secured:false}") boolean secured) {
            http.csrf(c -> c.disable()).httpBasic(Customizer.withDefaults());
            if (secured) {
                http.authorizeExchange(a ->
                        a.pathMatchers("/v1/**").authenticated().anyExchange().permitAll());
            } else {
                http.authorizeExchange(a -> a.anyExchange().permitAll());
            }
            return http.build();
        }

        @Bean
        MapReactiveUserDetailsService users() {
            return new MapReactiveUserDetailsService(user("alice"), user("bob"));
        }
    }
}
