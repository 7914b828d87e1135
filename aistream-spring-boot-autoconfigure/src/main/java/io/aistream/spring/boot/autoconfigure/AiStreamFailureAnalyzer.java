package io.aistream.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a wrong {@code aistream.*} property as one "APPLICATION FAILED TO START" block (the key and
 * what is expected) instead of a chain of bean creation stack traces.
 */
public final class AiStreamFailureAnalyzer extends AbstractFailureAnalyzer<AiStreamConfigException> {
    /** Created by Spring Boot (listed in {@code META-INF/spring.factories}). */
    public AiStreamFailureAnalyzer() {}

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AiStreamConfigException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Fix the aistream.* property named above (application.properties/yml, the command line or"
                        + " the environment); the keys are those of aistream's JSON config file, in kebab-case or"
                        + " camelCase.",
                cause);
    }
}
