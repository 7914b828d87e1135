package io.aistream.spring.boot.tests;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The WebFlux application runs on Reactor Netty, as a WebFlux application does: with Tomcat also on the
 * test class path (the MVC tests need it) Spring Boot would pick Tomcat for it. Replaces Tomcat's reactive
 * server factory with Netty's, named by class name (its package moved between Boot 3 and 4).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ReactorNettyServer {
    private static final String[] FACTORY = {
        "org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory", // Boot 3
        "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory" // Boot 4
    };

    @Bean
    static BeanDefinitionRegistryPostProcessor nettyServerFactory() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
                // Boot registered Tomcat's factory while parsing its configurations (before this runs)
                if (registry.containsBeanDefinition("tomcatReactiveWebServerFactory")) {
                    registry.removeBeanDefinition("tomcatReactiveWebServerFactory");
                }
                for (String name : FACTORY) {
                    if (ClassUtils.isPresent(name, ReactorNettyServer.class.getClassLoader())) {
                        registry.registerBeanDefinition(
                                "nettyReactiveWebServerFactory",
                                new RootBeanDefinition(
                                        ClassUtils.resolveClassName(name, ReactorNettyServer.class.getClassLoader())));
                        return;
                    }
                }
                throw new IllegalStateException("no Reactor Netty server factory on the class path");
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}
        };
    }
}
