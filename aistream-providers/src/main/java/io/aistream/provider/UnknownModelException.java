package io.aistream.provider;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.List;

/** A provider that lists its models was asked for one it does not have; the message lists them. */
public class UnknownModelException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> models;

    public UnknownModelException(String provider, String model, List<String> models) {
        super(ErrorCode.INVALID_REQUEST, "provider '" + provider + "' has no model '" + model + "'; models: " + models);
        this.models = List.copyOf(models);
    }

    /** The models the provider offers. */
    public List<String> models() {
        return models;
    }
}
