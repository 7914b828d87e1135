package io.aistream.provider.spi;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;

/** The provider configuration (file or environment) is invalid; the message names the entry and the problem. */
public class InvalidConfigException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }
}
