package io.aistream.provider;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.List;

/** A request named a provider, alias or chain that is not configured; the message lists what is. */
public class UnknownProviderException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> available;

    public UnknownProviderException(String name, List<String> available) {
        super(ErrorCode.INVALID_REQUEST, "unknown provider '" + name + "'; available: " + available);
        this.available = List.copyOf(available);
    }

    /** The provider, alias and chain names that are configured. */
    public List<String> available() {
        return available;
    }
}
