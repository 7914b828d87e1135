package io.aistream.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aistream.spring.boot.autoconfigure.AiStreamConfigException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A wrong {@code aistream.*} property fails startup with the message the JSON config file gets. */
class BadPropertyTest {
    private static Throwable start(String... properties) {
        Throwable t = catchThrowable(() -> new SpringApplicationBuilder(TestApp.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run()
                .close());
        Throwable cause = t;
        while (cause != null && !(cause instanceof AiStreamConfigException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("startup failure %s", t).isNotNull();
        return cause;
    }

    @Test
    void aProviderWithoutProtocolIsNamed() {
        assertThat(start("aistream.providers.mine.base-url=https://llm.example.com/v1")
                        .getMessage())
                .startsWith("Invalid aistream.* properties: config 'providers.mine.protocol': is required (one of ");
    }

    @Test
    void theFailureAnalyzerPrintsTheMessageAndWhatToFix() {
        AiStreamConfigException e = (AiStreamConfigException) start("aistream.recovery.mode=later");
        org.springframework.boot.diagnostics.FailureAnalysis analysis =
                new io.aistream.spring.boot.autoconfigure.AiStreamFailureAnalyzer().analyze(e);
        assertThat(analysis.getDescription())
                .isEqualTo("Invalid aistream.* properties: config 'recovery.mode': must be \"fail\" or \"continue\"");
        assertThat(analysis.getAction()).contains("aistream.* property");
    }

    @Test
    void anUnknownKeyIsNamed() {
        assertThat(start("aistream.retry.max-atempts=3").getMessage())
                .startsWith("Invalid aistream.* properties: config 'retry.max-atempts': unknown key");
    }

    @Test
    void aNumberThatIsNotOneIsNamed() {
        assertThat(start("aistream.timeouts.idle-ms=soon").getMessage())
                .isEqualTo("Invalid aistream.* properties: config 'timeouts.idleMs': must be an integer from 1 to"
                        + " 86400000");
    }
}
