package io.aistream.bench;

import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.ProviderDescriptor;
import java.util.List;

/**
 * Long synthetic response bodies in each registered provider's wire format — each descriptor's
 * {@link ProviderDescriptor#sampleBody sample body}: a realistic opening, {@code n} small text deltas
 * shaped like the provider's own, and its terminal events. Used to measure bytes → chunks per
 * provider; a new provider package is measured without naming it here.
 */
final class ProviderTraffic {

    private ProviderTraffic() {}

    /** The protocol ids that offer a sample body, in the catalog's order. */
    static List<String> protocols() {
        return ProtocolCatalog.descriptors().stream()
                .filter(d -> d.sampleBody(1).isPresent())
                .map(ProviderDescriptor::id)
                .toList();
    }

    /**
     * A body of {@code deltas} text deltas in the wire format of the protocol {@code protocolId}.
     *
     * @throws IllegalArgumentException if no registered protocol of that id offers one
     */
    static byte[] body(String protocolId, int deltas) {
        return ProtocolCatalog.descriptor(protocolId)
                .flatMap(d -> d.sampleBody(deltas))
                .orElseThrow(
                        () -> new IllegalArgumentException("no traffic for " + protocolId + "; known: " + protocols()));
    }
}
