package io.aistream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, made once per JVM (on first use) with the running JDK's
 * {@code keytool} in a temporary directory that is deleted again: one for {@code localhost} and
 * {@code 127.0.0.1}, one for another name only. Give {@link Pair#server()} to
 * {@link FakeUpstream#startTls} and {@link Pair#client()} to the client under test.
 *
 * <p>Thread-safe; the contexts are shared and must not be re-initialised.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "test-only".toCharArray();

    /**
     * A server key and a client trust for one certificate.
     *
     * @param server a context holding the certificate's private key
     * @param client a context trusting exactly that certificate
     */
    public record Pair(SSLContext server, SSLContext client) {}

    private static final class Holder {
        static final Pair LOCALHOST = make("localhost", "SAN=dns:localhost,ip:127.0.0.1");
        static final Pair OTHER_NAME = make("other", "SAN=dns:other.invalid");
    }

    private TestCertificates() {}

    /** A certificate for {@code localhost} and {@code 127.0.0.1}, trusted by the client context. */
    public static Pair localhost() {
        return Holder.LOCALHOST;
    }

    /** A certificate for {@code other.invalid} only (trusted by the client, but for another name). */
    public static Pair otherName() {
        return Holder.OTHER_NAME;
    }

    private static Pair make(String alias, String san) {
        try {
            Path dir = Files.createTempDirectory("aistream-tls-test");
            Path store = dir.resolve(alias + ".p12");
            List<String> command = new ArrayList<>(List.of(
                    keytool().toString(),
                    "-genkeypair",
                    "-alias",
                    alias,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=" + alias,
                    "-ext",
                    san,
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    new String(PASSWORD),
                    "-keypass",
                    new String(PASSWORD)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            Files.delete(store);
            Files.delete(dir);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(alias, keys.getCertificate(alias));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Pair(server, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code keytool} beside the running {@code java}. */
    private static Path keytool() {
        String exe = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        Optional<Path> sibling =
                ProcessHandle.current().info().command().map(c -> Path.of(c).resolveSibling(exe));
        return sibling.filter(Files::isExecutable)
                .orElseThrow(() -> new IllegalStateException("no keytool beside " + fromHome));
    }
}
