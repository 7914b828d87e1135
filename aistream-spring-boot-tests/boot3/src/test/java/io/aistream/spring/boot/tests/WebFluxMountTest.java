package io.aistream.spring.boot.tests;

import java.io.IOException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link MountContract} on Spring WebFlux. */
@SpringBootTest(
        classes = TestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=reactive")
class WebFluxMountTest extends MountContract {
    @DynamicPropertySource
    static void aistream(DynamicPropertyRegistry registry) throws IOException {
        properties(registry);
    }
}
