package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Upstreams.refusing;
import static io.aistream.provider.transport.Upstreams.target;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.request.ChatRequest;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsFallbackTest {
    private final FakeUpstream a = FakeUpstream.start();
    private final FakeUpstream b = FakeUpstream.start();
    /** Two attempts per target, no backoff: the virtual clock never has to move. */
    private final StreamOptions options;

    ProviderStreamsFallbackTest(UpstreamTransport transport) {
        this.options = StreamOptions.defaults()
                .withClient(transport.client())
                .withTime(new VirtualTimeSource())
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.defaults().withMaxAttempts(2).withBackoff(Duration.ZERO, Duration.ZERO, 1.0));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static Script unavailable() {
        return Script.status(503).send("{\"error\":{\"type\":\"unavailable\",\"message\":\"down\"}}");
    }

    @Test
    void theNextTargetRunsWhenTheFirstFailsBeforeOutputAfterItsRetries() throws Exception {
        a.enqueue(unavailable()).enqueue(unavailable());
        b.enqueue(Script.sse().send(LineProtocol.usage(4, 2) + LineProtocol.sse("from b")));

        List<StreamChunk> chunks =
                drain(ProviderStreams.open(List.of(target("a", a), target("b", b)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("from b");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).provider()).contains("b");
        assertThat(done(chunks).model()).contains("model-b");
        assertThat(a.requests()).hasSize(2);
        assertThat(b.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.bodyText()).contains("\"model\":\"model-b\""));
    }

    @Test
    void aNonRetryableFailureFallsBackWithoutRetrying() throws Exception {
        a.enqueue(Script.status(401).send("{\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key\"}}"));
        b.enqueue(Script.sse().send(LineProtocol.sse("from b")));

        List<StreamChunk> chunks =
                drain(ProviderStreams.open(List.of(target("a", a), target("b", b)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("from b");
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void whenEveryTargetFailsTheErrorListsEachAttempt() throws Exception {
        a.enqueue(unavailable()).enqueue(Script.status(429).send("{}"));

        List<StreamChunk> chunks =
                drain(ProviderStreams.open(List.of(target("a", a), refusing("b")), REQUEST, options));

        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("upstream_connection");
            assertThat(e.error().provider()).contains("b");
            assertThat(e.error().retryable()).isTrue();
            assertThat(e.error().message())
                    .contains(
                            "4 attempts failed: a: HTTP 503 upstream_error; a: HTTP 429 rate_limited; b: upstream_connection; b: upstream_connection");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).provider()).contains("b");
    }

    @Test
    void aFailureAfterOutputDoesNotFallBackByDefault() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.delta("Hel") + LineProtocol.usage(5, 1))
                .cut());
        b.enqueue(Script.sse().send(LineProtocol.sse("never")));

        List<StreamChunk> chunks =
                drain(ProviderStreams.open(List.of(target("a", a), target("b", b)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("Hel");
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage())
                .hasValueSatisfying(u -> assertThat(u.inputTokens()).isEqualTo(5));
        assertThat(done(chunks).recovered()).isFalse();
        assertThat(a.requests()).hasSize(1);
        assertThat(b.requests()).isEmpty();
    }

    @Test
    void anUnsupportedRequestOnOneTargetFallsBackToTheNext() throws Exception {
        b.enqueue(Script.sse().send(LineProtocol.sse("from b")));
        LineProtocol line = new LineProtocol();
        ProviderProtocol noTemperature = new ProviderProtocol() {
            @Override
            public String id() {
                return "picky";
            }

            @Override
            public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
                throw new UnsupportedOptionException(config.name(), "temperature", "not supported here");
            }

            @Override
            public StreamDecoder newDecoder(DecoderContext context) {
                return line.newDecoder(context);
            }

            @Override
            public ProviderHttpException toException(
                    int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
                return line.toException(status, headers, body, config);
            }
        };
        Target picky = new Target(noTemperature, LineProtocol.config("a", a.baseUri()), "model-a");

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(picky, target("b", b)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("from b");
        assertThat(a.connections()).isEmpty();
    }
}
