package io.aistream.provider.transport.internal;

import java.io.IOException;

/** {@link Exchange#start()} gave up because {@link Exchange#abort()} was called. */
final class ExchangeAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    ExchangeAbortedException() {
        super("the exchange was aborted");
    }
}
