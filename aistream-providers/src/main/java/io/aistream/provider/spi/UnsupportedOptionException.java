package io.aistream.provider.spi;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;

/** A request option the chosen provider cannot honour; its message names the option and the provider. */
public class UnsupportedOptionException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final String option;

    public UnsupportedOptionException(String provider, String option, String why) {
        super(ErrorCode.INVALID_REQUEST, provider + " does not support '" + option + "': " + why);
        this.option = option;
    }

    /** The request field that cannot be honoured, e.g. {@code reasoning.budgetTokens}. */
    public String option() {
        return option;
    }
}
