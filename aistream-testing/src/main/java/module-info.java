/**
 * aistream test support, for the tests of every aistream module (use it in test scope): a scriptable
 * fake HTTP upstream, the provider fixture harness, printed seeds, controllable chunk sources and the
 * package-cycle check.
 *
 * <p>It depends on {@code io.aistream.core} only, so that the providers' own tests can use it.
 */
// ArchUnit ships an automatic module (a stable Automatic-Module-Name)
@SuppressWarnings("requires-automatic")
module io.aistream.testing {
    requires transitive io.aistream.core;
    requires org.assertj.core;
    requires com.tngtech.archunit;
    requires transitive java.net.http; // WsClient is a java.net.http WebSocket listener
    // RedisServer/NginxProxy.assumeAvailable abort a test through JUnit's Assumptions; present wherever
    // tests run, and not needed by the rest of the module
    requires static org.junit.jupiter.api;

    exports io.aistream.testing;
}
