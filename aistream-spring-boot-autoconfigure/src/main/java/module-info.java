/**
 * aistream in Spring Boot 3.5 and 4 applications: {@code io.aistream.spring} is what application code uses
 * ({@link io.aistream.spring.AiStreamResponses} for controller return values);
 * {@code io.aistream.spring.boot.autoconfigure} is the auto-configuration Spring Boot finds through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}. Every Spring
 * module and both web bindings are optional ({@code static}; transitive, as the public types name theirs): the
 * application brings its own stack.
 */
// Spring, Reactor, Reactive Streams and Micrometer ship automatic modules (no module-info); their names
// are stable Automatic-Module-Names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.aistream.spring.boot.autoconfigure {
    requires transitive io.aistream.server;
    requires transitive org.reactivestreams;
    requires tools.jackson.databind;
    requires org.slf4j;
    requires static transitive io.aistream.servlet;
    requires static transitive io.aistream.webflux;
    requires static transitive spring.core;
    requires static transitive spring.beans;
    requires static transitive spring.context;
    requires static transitive spring.boot;
    requires static transitive spring.boot.autoconfigure;
    requires static transitive spring.boot.actuator;
    requires static transitive spring.boot.health;
    requires static transitive spring.web;
    requires static transitive spring.webmvc;
    requires static transitive spring.webflux;
    requires static transitive reactor.core;
    requires static transitive jakarta.servlet;

    exports io.aistream.spring;
    exports io.aistream.spring.boot.autoconfigure;

    // Spring creates the configurations and beans reflectively
    opens io.aistream.spring.boot.autoconfigure;
}
