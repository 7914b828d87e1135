package io.aistream.bench.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A reusable, growable byte builder for assembling wire messages without intermediate strings. */
public final class Bytes {
    private byte[] buf;
    private int len;

    public Bytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public Bytes reset() {
        len = 0;
        return this;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public Bytes append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** Appends a string known to be ASCII (or where Latin-1 is meant). */
    public Bytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    public Bytes utf8(String s) {
        return append(s.getBytes(StandardCharsets.UTF_8));
    }

    public Bytes decimal(long v) {
        if (v < 0) {
            ensure(1);
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
        return this;
    }

    /** Advances over {@code n} bytes to be filled in later; returns where they start. */
    public int skip(int n) {
        ensure(n);
        int at = len;
        len += n;
        return at;
    }

    /** Writes {@code value} as {@code digits} upper-case hex digits (zero-padded) at {@code at}. */
    public void hexAt(int at, int digits, long value) {
        for (int i = at + digits - 1; i >= at; i--) {
            buf[i] = (byte) "0123456789ABCDEF".charAt((int) (value & 15));
            value >>>= 4;
        }
    }

    public void setAt(int at, byte b) {
        buf[at] = b;
    }
}
