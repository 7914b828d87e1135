package io.aistream.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * The Redis URL of Spring Data Redis's Lettuce connection factory, when the application has one that
 * talks to one standalone Redis (no Sentinel, no Cluster): the gateway then keeps resumable streams in
 * that Redis without an {@code aistream.redis.url}. Read through reflection, so this module needs no
 * Spring Data Redis at compile time (its API is the same in its 3.x and 4.x lines).
 */
public final class SpringDataRedisUrl {
    private static final String FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    private final BeanFactory beans;

    SpringDataRedisUrl(BeanFactory beans) {
        this.beans = beans;
    }

    /** The URL ({@code redis[s]://[user:password@]host:port/db}), or empty without a standalone Lettuce factory. */
    public Optional<String> url() {
        if (!(beans instanceof ListableBeanFactory list)) {
            return Optional.empty();
        }
        try {
            Class<?> type = ClassUtils.forName(FACTORY, SpringDataRedisUrl.class.getClassLoader());
            String[] names = list.getBeanNamesForType(type, false, false);
            if (names.length != 1) {
                return Optional.empty();
            }
            Object factory = list.getBean(names[0]);
            if (call(factory, "getSentinelConfiguration") != null || call(factory, "getClusterConfiguration") != null) {
                return Optional.empty();
            }
            Object standalone = call(factory, "getStandaloneConfiguration");
            if (standalone == null) {
                return Optional.empty();
            }
            String host = (String) call(standalone, "getHostName");
            int port = (Integer) call(standalone, "getPort");
            int database = (Integer) call(standalone, "getDatabase");
            String user = (String) call(standalone, "getUsername");
            Object password = call(standalone, "getPassword"); // RedisPassword
            Optional<?> secret = password == null ? Optional.empty() : (Optional<?>) call(password, "toOptional");
            boolean ssl = Boolean.TRUE.equals(call(factory, "isUseSsl"));
            StringBuilder url = new StringBuilder(ssl ? "rediss://" : "redis://");
            if (secret.isPresent()) {
                if (user != null) {
                    url.append(encode(user));
                }
                url.append(':')
                        .append(encode(new String((char[]) secret.get())))
                        .append('@');
            }
            url.append(host).append(':').append(port).append('/').append(database);
            return Optional.of(url.toString());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }

    /** Registers {@link SpringDataRedisUrl} when Spring Data Redis's Lettuce factory class is present. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = FACTORY)
    public static class Configuration {
        /** Created by Spring. */
        public Configuration() {}

        /** The reader of the application's Lettuce connection factory. */
        @Bean
        public SpringDataRedisUrl aiStreamSpringDataRedisUrl(BeanFactory beans) {
            return new SpringDataRedisUrl(beans);
        }
    }
}
