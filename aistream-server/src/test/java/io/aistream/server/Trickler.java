package io.aistream.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A slow client: writes a prefix at once, then one byte ({@code filler}) per {@code pace} on a virtual
 * thread of its own until the connection breaks or it is closed. {@link #answer()} blocks until the
 * server closes the connection (bounded by the socket's read timeout) and returns what it sent.
 */
final class Trickler implements AutoCloseable {
    private final Socket socket = new Socket();
    private final Thread writer;
    private volatile int trickled;

    Trickler(int port, String prefix, char filler, Duration pace) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(prefix.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        writer = Thread.ofVirtual().name("trickler").start(() -> {
            try {
                while (!socket.isClosed()) {
                    Thread.sleep(pace); // the pacing of the trickle itself
                    out.write(filler);
                    out.flush();
                    trickled++;
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection (or the test did): the trickle ends
            }
        });
    }

    /** Bytes trickled after the prefix so far. */
    int trickled() {
        return trickled;
    }

    /**
     * Everything the server wrote until it closed the connection (a reset counts as a close).
     *
     * @throws java.net.SocketTimeoutException if the server kept the connection open past the read timeout
     */
    String answer() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        writer.interrupt();
    }
}
