package io.aistream.server;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.RawHttp;
import java.io.IOException;
import java.util.function.Consumer;

/** A real gateway on a free port with a {@link ControlledProvider} ("test") and an unpaced simulated provider. */
final class TestGateway implements AutoCloseable {
    final ControlledProvider provider = new ControlledProvider();
    final AistreamServer server;

    private TestGateway(Consumer<ServerConfig.Builder> customize) throws IOException {
        ServerConfig.Builder b =
                ServerConfig.builder().port(0).provider(provider).provider(new SimulatedProvider());
        customize.accept(b);
        server = AistreamServer.start(b.build());
    }

    static TestGateway start() throws IOException {
        return new TestGateway(b -> {});
    }

    static TestGateway start(Consumer<ServerConfig.Builder> customize) throws IOException {
        return new TestGateway(customize);
    }

    int port() {
        return server.port();
    }

    /** A POST /v1/stream for the controlled provider with the given extra top-level JSON fields. */
    RawHttp stream(String extraFields) throws IOException {
        String extra = extraFields.isEmpty() ? "" : ", " + extraFields;
        return RawHttp.postJson(
                port(),
                "/v1/stream",
                "{\"provider\":\"test\",\"model\":\"script\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                        + extra + "}");
    }

    @Override
    public void close() {
        server.close();
    }
}
