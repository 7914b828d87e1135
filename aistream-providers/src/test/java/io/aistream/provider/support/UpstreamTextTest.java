package io.aistream.provider.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.spi.ProviderConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamTextTest {
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "p", "openai-chat", URI.create("http://127.0.0.1:1"), Optional.of("my-configured-secret"), Map.of());

    @Test
    void addressesBecomeAMarkAndSentencePunctuationStays() {
        assertThat(UpstreamText.excerpt("You exceeded your current quota, read the docs: "
                        + "https://platform.example/docs/guides/error-codes/api-errors."))
                .isEqualTo("You exceeded your current quota, read the docs: <url>.");
        assertThat(UpstreamText.excerpt("upstream http://10.0.0.7:8080/v1/chat?key=AIzaSyABCDEFGHIJKLMNOP failed"))
                .isEqualTo("upstream <url> failed");
        assertThat(UpstreamText.excerpt("see (wss://host/x) and HTTPS://Host/Y, ok"))
                .isEqualTo("see (<url>) and <url>, ok");
    }

    @Test
    void keyLikeTokensAreMasked() {
        assertThat(UpstreamText.excerpt("Incorrect API key provided: sk-proj-abc1****************wxyz. Find yours"))
                .isEqualTo("Incorrect API key provided: [redacted]. Find yours");
        assertThat(UpstreamText.excerpt("API key not valid: AIzaSyD-1234567890abcdefghij"))
                .isEqualTo("API key not valid: [redacted]");
        assertThat(UpstreamText.excerpt("got Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.abc123 from you"))
                .isEqualTo("got Authorization: Bearer [redacted] from you");
        assertThat(UpstreamText.excerpt("bad api_key=ab12cd34ef56 and token: \"zz9988776655\""))
                .isEqualTo("bad api_key=[redacted] and token: \"[redacted]\"");
        assertThat(UpstreamText.excerpt("signature 0123456789abcdef0123456789abcdef0123 mismatch"))
                .isEqualTo("signature [redacted] mismatch");
        assertThat(UpstreamText.excerpt("blob QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo5ODc2NTQzMjE= end"))
                .isEqualTo("blob [redacted] end");
        assertThat(UpstreamText.excerpt("AWS key AKIAIOSFODNN7EXAMPLE leaked")).isEqualTo("AWS key [redacted] leaked");
        assertThat(UpstreamText.excerpt("echo my-configured-secret back", CONFIG))
                .isEqualTo("echo [redacted] back");
        // ordinary words that merely follow such names stay
        assertThat(UpstreamText.excerpt("invalid key: model; Bearer token missing; basic usage"))
                .isEqualTo("invalid key: model; Bearer token missing; basic usage");
    }

    @Test
    void bytesThatAreNotTextAreReplacedAndWhitespaceCollapsed() {
        assertThat(UpstreamText.excerpt("a\u0000\u0001b\u007f\u0085c\uFFFDd\u202Ee \ud800 f"))
                .isEqualTo("a?b?c?d?e ? f");
        assertThat(UpstreamText.excerpt("  line one\r\n\tline\u00a0two  \n")).isEqualTo("line one line two");
        assertThat(UpstreamText.excerpt("emoji 😀 and ü stay")).isEqualTo("emoji 😀 and ü stay");
    }

    @Test
    void longTextIsCutToTheExcerptAndSanitizingTwiceChangesNothing() {
        String cut = UpstreamText.excerpt("word ".repeat(10_000));
        assertThat(cut).hasSizeLessThanOrEqualTo(UpstreamText.MAX_EXCERPT_CHARS).endsWith("…");
        assertThat(cut.length()).isGreaterThan(UpstreamText.MAX_EXCERPT_CHARS - 5);
        assertThat(UpstreamText.excerpt(cut)).isEqualTo(cut);
        String exact = "x".repeat(UpstreamText.MAX_EXCERPT_CHARS);
        assertThat(UpstreamText.excerpt(exact)).isEqualTo(exact);
        String messy = "see https://a.example/b sk-abcdefgh1234 \u0000 " + "y".repeat(300);
        String once = UpstreamText.excerpt(messy);
        assertThat(UpstreamText.excerpt(once)).isEqualTo(once);
    }

    @Test
    void anHtmlPageOrBinaryBodyIsDescribedNotQuoted() {
        byte[] page = "\n<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx at 10.0.0.1</body>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(UpstreamText.body(page, 502, Optional.empty(), CONFIG))
                .isEqualTo("the provider answered an HTML page (status 502)");
        assertThat(UpstreamText.body(
                        "<p>oops</p>".getBytes(StandardCharsets.UTF_8),
                        500,
                        Optional.of("text/html; charset=utf-8"),
                        CONFIG))
                .isEqualTo("the provider answered an HTML page (status 500)");
        byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (0x80 + i);
        }
        assertThat(UpstreamText.body(garbage, 500, Optional.empty(), CONFIG))
                .isEqualTo("the provider answered 64 bytes that are not text (status 500)");
        assertThat(UpstreamText.body(new byte[0], 500, Optional.empty(), CONFIG))
                .isEqualTo("empty response body");
        assertThat(UpstreamText.body(
                        "plain <b>text</b> error".getBytes(StandardCharsets.UTF_8), 500, Optional.empty(), CONFIG))
                .isEqualTo("plain <b>text</b> error");
    }

    @Test
    void codesMustBePlainTokens() {
        assertThat(UpstreamText.code("overloaded_error", "provider_error")).isEqualTo("overloaded_error");
        assertThat(UpstreamText.code("RESOURCE_EXHAUSTED", "provider_error")).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(UpstreamText.code("<script>", "provider_error")).isEqualTo("provider_error");
        assertThat(UpstreamText.code("a b", "provider_error")).isEqualTo("provider_error");
        assertThat(UpstreamText.code("x".repeat(65), "provider_error")).isEqualTo("provider_error");
        assertThat(UpstreamText.code(null, "provider_error")).isEqualTo("provider_error");
    }
}
