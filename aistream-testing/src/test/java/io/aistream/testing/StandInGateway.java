package io.aistream.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in for the CLI jar, for {@link GatewayProcess}'s own tests (this module is built before the CLI): a
 * {@code main} that takes {@code serve --port N}, prints the gateway's listening line and answers every request
 * with {@code ok <pid>}. {@link #jar} packs this one class into a runnable jar.
 */
final class StandInGateway {
    private StandInGateway() {}

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", exchange -> {
            byte[] body = ("ok " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("aistream gateway listening on http://127.0.0.1:"
                + server.getAddress().getPort() + "/");
        System.out.flush();
    }

    /** Writes a runnable jar of this class into {@code dir} and returns it. */
    static Path jar(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInGateway.class.getName());
        String entry = StandInGateway.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (var in = StandInGateway.class.getClassLoader().getResourceAsStream(entry)) {
            bytes = in.readAllBytes();
        }
        Path jar = dir.resolve("stand-in-gateway.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(bytes);
            out.closeEntry();
        }
        return jar;
    }
}
