package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A final HTTP/1.x response head and what it says about the body.
 *
 * @param status        the status code (200..599)
 * @param headers       the headers, names case-insensitive
 * @param framing       how the body is delimited
 * @param contentLength the body's length when {@link Framing#LENGTH}, else -1
 * @param keepAlive     whether the server lets the connection carry another request once the body
 *                      is read (never for a close-delimited body)
 */
record ResponseHead(int status, HttpHeaders headers, Framing framing, long contentLength, boolean keepAlive) {
    /** The most bytes of response head read, interim (1xx) heads included. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    static final String TOO_LARGE = "the response head exceeds the limit of " + MAX_HEAD_BYTES + " bytes (64 KiB)";

    /** How a response body is delimited. */
    enum Framing {
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** {@code Content-Length} (0 for 204 and 304). */
        LENGTH,
        /** Neither: the body ends when the server closes the connection. */
        UNTIL_CLOSE
    }

    /**
     * Reads the response head from {@code conn}, skipping interim (1xx) responses.
     *
     * @throws HttpProtocolException if the head is malformed or too large
     * @throws java.io.EOFException  if the connection ends first
     */
    static ResponseHead read(HttpConnection conn) throws IOException {
        int budget = MAX_HEAD_BYTES;
        while (true) {
            String statusLine = conn.readLine(
                    budget,
                    TOO_LARGE,
                    conn.received() == 0
                            ? "the connection closed before any response"
                            : "the connection closed inside the response head");
            budget -= statusLine.length() + 2;
            boolean http10 = parseVersion(statusLine);
            int status = parseStatus(statusLine);
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String lastName = null;
            while (true) {
                String line =
                        conn.readLine(Math.max(0, budget), TOO_LARGE, "the connection closed inside the response head");
                budget -= line.length() + 2;
                if (budget < 0) {
                    throw new HttpProtocolException(TOO_LARGE);
                }
                if (line.isEmpty()) {
                    break;
                }
                char first = line.charAt(0);
                if (first == ' ' || first == '\t') {
                    // obsolete line folding: the continuation joins the previous value
                    if (lastName == null) {
                        throw new HttpProtocolException("malformed response header: a continuation line comes first");
                    }
                    List<String> values = map.get(lastName);
                    int last = values.size() - 1;
                    values.set(last, (values.get(last) + " " + trimOws(line)).trim());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new HttpProtocolException("malformed response header line (no name before ':')");
                }
                String name = line.substring(0, colon);
                for (int i = 0; i < name.length(); i++) {
                    if (!RequestEncoder.isTokenChar(name.charAt(i))) {
                        throw new HttpProtocolException(
                                "malformed response header name '" + RequestEncoder.printable(abbreviate(name)) + "'");
                    }
                }
                map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(trimOws(line.substring(colon + 1)));
                lastName = name;
            }
            if (status < 200) {
                if (status == 101) {
                    throw new HttpProtocolException("unexpected 101 Switching Protocols (no upgrade was asked for)");
                }
                continue; // interim: 100 Continue, 103 Early Hints, ...
            }
            return describe(status, http10, HttpHeaders.of(map, (name, value) -> true));
        }
    }

    private static ResponseHead describe(int status, boolean http10, HttpHeaders headers) throws HttpProtocolException {
        boolean close = false;
        boolean keepAliveToken = false;
        for (String token : tokens(headers.allValues("Connection"))) {
            close |= token.equals("close");
            keepAliveToken |= token.equals("keep-alive");
        }
        boolean keepAlive = !close && (!http10 || keepAliveToken);
        if (status == 204 || status == 304) {
            return new ResponseHead(status, headers, Framing.LENGTH, 0, keepAlive);
        }
        List<String> transferCodings = tokens(headers.allValues("Transfer-Encoding"));
        if (!transferCodings.isEmpty()) {
            if (transferCodings.getLast().equals("chunked")) {
                // a Content-Length beside it is ignored, but such a server is not trusted with another request
                boolean alsoLength = headers.firstValue("Content-Length").isPresent();
                return new ResponseHead(status, headers, Framing.CHUNKED, -1, keepAlive && !alsoLength);
            }
            return new ResponseHead(status, headers, Framing.UNTIL_CLOSE, -1, false);
        }
        List<String> lengths = headers.allValues("Content-Length");
        if (!lengths.isEmpty()) {
            return new ResponseHead(status, headers, Framing.LENGTH, contentLength(lengths), keepAlive);
        }
        return new ResponseHead(status, headers, Framing.UNTIL_CLOSE, -1, false);
    }

    /** One length, however often repeated; anything else is malformed. */
    private static long contentLength(List<String> values) throws HttpProtocolException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String digits = part.trim();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new HttpProtocolException(
                            "malformed Content-Length '" + RequestEncoder.printable(abbreviate(value)) + "'");
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new HttpProtocolException("conflicting Content-Length values");
                }
                length = n;
            }
        }
        return length;
    }

    private static List<String> tokens(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String token = part.trim().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    out.add(token);
                }
            }
        }
        return out;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}; true for the latter. */
    private static boolean parseVersion(String line) throws HttpProtocolException {
        if (line.length() < 12
                || !line.startsWith("HTTP/1.")
                || line.charAt(8) != ' '
                || (line.charAt(7) != '0' && line.charAt(7) != '1')) {
            throw malformedStatusLine(line);
        }
        return line.charAt(7) == '0';
    }

    private static int parseStatus(String line) throws HttpProtocolException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw malformedStatusLine(line);
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599 || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw malformedStatusLine(line);
        }
        return status;
    }

    private static HttpProtocolException malformedStatusLine(String line) {
        return new HttpProtocolException("malformed HTTP status line '" + RequestEncoder.printable(abbreviate(line))
                + "' (not an HTTP/1.x server?)");
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** Without leading and trailing spaces and tabs. */
    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
