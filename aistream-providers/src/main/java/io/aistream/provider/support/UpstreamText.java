package io.aistream.provider.support;

import io.aistream.provider.spi.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one sanitizer for text an upstream supplied (an error body, a provider's error message or
 * type, a malformed event) before it reaches a client in an error chunk or an exception message.
 *
 * <p><b>What a client gets</b> ({@link #excerpt}): every {@code http(s)://} / {@code ws(s)://}
 * address replaced by {@value #URL_MARK}; key-like tokens masked with {@link Redaction#MARK}
 * (the configured key, {@code sk-…}, {@code AIza…}, {@code AKIA…}, {@code Bearer …},
 * {@code key=…}/{@code token=…} values, long hex or base64 runs); characters that are not text
 * (C0/C1 controls, DEL, lone surrogates, the U+FFFD of bytes that were not UTF-8, invisible format
 * characters) replaced by {@code ?}; whitespace collapsed to single spaces; then cut to
 * {@value #MAX_EXCERPT_CHARS} characters, the last being {@code …} when cut (so sanitizing twice
 * changes nothing). A body ({@link #body}) that is an HTML page becomes "the provider answered an
 * HTML page (status N)", one that is mostly not text "the provider answered N bytes that are not
 * text (status N)".
 *
 * <p><b>What the log gets.</b> When the client's text lost something (an address, a key, bytes, an
 * HTML page, the tail), the original is logged once at WARN, without a stack trace, with keys
 * masked, control characters escaped and at most {@value #MAX_LOGGED_CHARS} characters: enough to
 * see what the provider said, never a credential.
 *
 * <p>Stateless and thread-safe.
 */
public final class UpstreamText {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamText.class);

    /** Longest text a client gets, in chars, including the {@code …} of a cut. */
    public static final int MAX_EXCERPT_CHARS = 200;

    /** What an address is replaced with. */
    public static final String URL_MARK = "<url>";

    /** Longest original written to the log, in chars. */
    public static final int MAX_LOGGED_CHARS = 4000;

    /** How much of a long text is scanned at all (a token crossing the cut is still seen whole). */
    private static final int SCAN_CHARS = 4 * MAX_EXCERPT_CHARS;

    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|wss?)://[^\\s<>\"'`]*");
    private static final String TOKEN_CHARS = "A-Za-z0-9+/_\\-";
    private static final Pattern[] KEYS = {
        // "Bearer <token>": keep the scheme, mask the credential (a token has a digit: "Bearer token" stays)
        Pattern.compile("(?i)\\b(bearer)\\s+(?=[A-Za-z0-9._~+/=\\-*]*[0-9])[A-Za-z0-9._~+/=\\-*]{8,}"),
        // key=value, token: value, "api_key": "value" (a name that says it is a secret, a value with a digit)
        Pattern.compile("(?i)\\b((?:x-)?api[_-]?key|access[_-]?token|refresh[_-]?token|token|secret|password|"
                + "authorization|key|sig|signature)(\"?\\s*[=:]\\s*\"?)(?=[^\\s&\"',;)]*[0-9])[^\\s&\"',;)]{8,}"),
        // provider key shapes, whole or partly starred out as some providers echo them
        Pattern.compile("\\b(?:sk|pk|rk)-[A-Za-z0-9_\\-*]{6,}"),
        Pattern.compile("\\bAIza[A-Za-z0-9_\\-*]{10,}"),
        Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{12,}\\b"),
        // long hex runs (secrets, signatures) and long base64 runs with letters and digits
        Pattern.compile("\\b[0-9a-fA-F]{32,}\\b"),
        Pattern.compile("(?<![" + TOKEN_CHARS + "])(?=[" + TOKEN_CHARS + "]*[0-9])(?=[" + TOKEN_CHARS + "]*[A-Za-z])["
                + TOKEN_CHARS + "]{40,}={0,2}"),
    };
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2000-\\u200A\\u2028\\u2029\\u3000]+");
    private static final Pattern HTML =
            Pattern.compile("(?i)<(?:!doctype\\s+html|html[\\s>]|head[\\s>]|body[\\s>]|title>)");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    private UpstreamText() {}

    /** {@link #excerpt(String, ProviderConfig)} without a configured key to mask. */
    public static String excerpt(String text) {
        return excerpt(text, null);
    }

    /**
     * The client's version of upstream text (see the class comment); logs the original when
     * something was removed. {@code config} (may be null) adds its API key to the masked tokens.
     */
    public static String excerpt(String text, ProviderConfig config) {
        if (text == null) {
            return "";
        }
        Result r = clean(text, config);
        if (r.lost) {
            log(text, config);
        }
        return r.text;
    }

    /**
     * The client's message for an upstream body: {@code "empty response body"}; for an HTML page
     * (by its {@code contentType} or its first bytes), "the provider answered an HTML page (status
     * N)"; for bytes that are mostly not UTF-8 text, "the provider answered N bytes that are not
     * text (status N)"; else the body's {@link #excerpt}. Logs the original once when anything was lost.
     */
    public static String body(byte[] body, int status, Optional<String> contentType, ProviderConfig config) {
        if (body.length == 0) {
            return "empty response body";
        }
        return notAMessage(body, status, contentType, config)
                .orElseGet(() -> excerpt(new String(body, StandardCharsets.UTF_8), config));
    }

    /**
     * What to say instead of a body that is no message at all — an HTML page ("the provider answered
     * an HTML page (status N)") or bytes that are mostly not text ("the provider answered N bytes
     * that are not text (status N)") — logging the original; empty for any other body.
     */
    public static Optional<String> notAMessage(
            byte[] body, int status, Optional<String> contentType, ProviderConfig config) {
        String text = new String(body, StandardCharsets.UTF_8);
        String message;
        if (isHtml(contentType, text)) {
            message = "the provider answered an HTML page (status " + status + ")";
        } else if (body.length > 0 && mostlyNotText(text)) {
            message = "the provider answered " + body.length + " bytes that are not text (status " + status + ")";
        } else {
            return Optional.empty();
        }
        log(text, config);
        return Optional.of(message);
    }

    /** Whether a body is an HTML page: an HTML content type, or an HTML tag in its first 512 chars. */
    public static boolean isHtml(Optional<String> contentType, String body) {
        if (contentType
                .map(UpstreamText::mediaType)
                .filter(t -> t.equals("text/html") || t.equals("application/xhtml+xml"))
                .isPresent()) {
            return true;
        }
        String head = body.length() > 512 ? body.substring(0, 512) : body;
        String start = head.stripLeading();
        return start.startsWith("<") && HTML.matcher(head).find();
    }

    /** The media type of a {@code Content-Type} value, lower case, without parameters. */
    public static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    /**
     * An upstream error type or code as a client may see it: kept when it is a plain token (letters,
     * digits, {@code _ . : -}, at most 64), else {@code fallback}.
     */
    public static String code(String code, String fallback) {
        return code != null && CODE.matcher(code).matches() ? code : fallback;
    }

    private record Result(String text, boolean lost) {}

    private static Result clean(String original, ProviderConfig config) {
        boolean lost = false;
        String text = original;
        if (text.length() > SCAN_CHARS) {
            text = text.substring(0, SCAN_CHARS);
            lost = true;
        }
        // addresses first: a key in a query goes with its address
        String noUrls = replaceUrls(text);
        lost |= !noUrls.equals(text);
        String masked = maskKeys(noUrls, config);
        lost |= !masked.equals(noUrls);
        String printable = printable(masked);
        lost |= !printable.equals(masked);
        String collapsed = WHITESPACE.matcher(printable).replaceAll(" ").strip();
        if (collapsed.length() > MAX_EXCERPT_CHARS) {
            collapsed = collapsed.substring(0, MAX_EXCERPT_CHARS - 1).stripTrailing() + "…";
            lost = true;
        }
        return new Result(collapsed, lost);
    }

    /** Keys masked: the configured one first, then every key-like token. */
    private static String maskKeys(String text, ProviderConfig config) {
        String out = config == null ? text : Redaction.redact(text, config);
        for (int i = 0; i < KEYS.length; i++) {
            Matcher m = KEYS[i].matcher(out);
            if (!m.find()) {
                continue;
            }
            String replacement = i == 0
                    ? "$1 " + Matcher.quoteReplacement(Redaction.MARK)
                    : i == 1
                            ? "$1$2" + Matcher.quoteReplacement(Redaction.MARK)
                            : Matcher.quoteReplacement(Redaction.MARK);
            out = m.replaceAll(replacement);
        }
        return out;
    }

    /** Every address replaced; punctuation that ends a sentence stays outside it. */
    private static String replaceUrls(String text) {
        Matcher m = URL.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        do {
            int end = m.end();
            while (end > m.start() && ".,;:!?)]}".indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
            out.append(text, at, m.start()).append(URL_MARK);
            at = end;
        } while (m.find(at) && at < text.length());
        return out.append(text, at, text.length()).toString();
    }

    /** Characters that are not text replaced by {@code ?} (a run by one); tabs and line ends stay for the collapse. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean lastBad = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
                lastBad = false;
            } else if (c != '\t' && c != '\n' && c != '\r' && notText(c)) {
                if (!lastBad) {
                    out.append('?');
                }
                lastBad = true;
            } else {
                out.append(c);
                lastBad = false;
            }
        }
        return out.toString();
    }

    private static boolean notText(char c) {
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\uFFFD' || Character.isSurrogate(c)) {
            return true;
        }
        // bidi overrides and other invisible format characters would let a message hide what it says
        return Character.getType(c) == Character.FORMAT;
    }

    /** More than a tenth of it not text: garbage, not a message. */
    private static boolean mostlyNotText(String text) {
        int sample = Math.min(text.length(), 1024);
        int bad = 0;
        for (int i = 0; i < sample; i++) {
            char c = text.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r' && notText(c)) {
                bad++;
            }
        }
        return bad * 10 > sample;
    }

    /** Logs a body the client is told about but not shown, once, at WARN (keys masked, cut if long). */
    public static void logWithheld(byte[] body, ProviderConfig config) {
        log(new String(body, StandardCharsets.UTF_8), config);
    }

    /** The original, once, at WARN: keys masked, control characters escaped, bounded. */
    private static void log(String original, ProviderConfig config) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        String text = original.length() > MAX_LOGGED_CHARS
                ? original.substring(0, MAX_LOGGED_CHARS) + "… (" + original.length() + " chars)"
                : original;
        LOG.warn(
                "upstream{} text cleaned or withheld for the client; the original (keys masked): {}",
                config == null ? "" : " " + config.name(),
                escape(maskKeys(text, config)));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
