package io.aistream.provider.transport.internal;

import java.io.IOException;

/** A body without length or chunks: it ends when the server closes the connection (never reused). */
final class UntilCloseBody extends ResponseBody {

    UntilCloseBody(HttpConnection conn, Owner owner) {
        super(conn, owner, false);
    }

    @Override
    int bufferedBodyBytes() {
        return conn.buffered();
    }

    @Override
    int endOfInput() {
        ended();
        return -1;
    }

    @Override
    int readBody(byte[] b, int off, int len, boolean blocking) throws IOException {
        int n = blocking ? conn.read(b, off, len) : conn.readBuffered(b, off, len);
        if (n < 0) {
            ended();
        }
        return n;
    }
}
