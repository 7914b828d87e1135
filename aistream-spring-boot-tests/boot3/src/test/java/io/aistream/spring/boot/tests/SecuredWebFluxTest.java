package io.aistream.spring.boot.tests;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link SecuredContract} on Spring WebFlux. */
@SpringBootTest(
        classes = TestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "test.secured=true",
            "aistream.simulated.tokens-per-second=0",
            "aistream.keep-alive-seconds=1"
        })
class SecuredWebFluxTest extends SecuredContract {}
