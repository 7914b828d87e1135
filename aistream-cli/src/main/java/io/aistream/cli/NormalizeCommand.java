package io.aistream.cli;

import io.aistream.chunk.ChunkJsonWriter;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.ResponseSummary;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.gemini.GeminiStreamDecoder;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aistream normalize}: a provider's raw response body on stdin → aistream chunks as JSON lines,
 * or with {@code --accumulate} one summary object in the provider fixtures' {@code expected.json} shape.
 */
@Command(
        name = "normalize",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a provider's raw streaming response body on stdin and writes aistream chunks, one JSON per line,",
            "or with --accumulate one summary object (text, reasoning, refusal, toolCalls, finishReason, usage, error).",
            "The framing is detected from the bytes (SSE, NDJSON, JSON array, AWS event stream) or forced with --format."
        })
final class NormalizeCommand implements Callable<Integer>, Main.TerminalAware {

    @Option(names = "--provider", required = true, paramLabel = "P",
            description = "openai, openai-chat, openai-responses, anthropic, gemini, ollama, mistral, cohere, azure-openai, "
                    + "bedrock, deepseek, openrouter, groq, together, xai, vllm, lmstudio, llamacpp, ollama-openai")
    String provider;

    @Option(names = "--accumulate", description = "Write one summary object instead of chunk lines.")
    boolean accumulate;

    @Option(names = "--format", paramLabel = "F", description = "Force the framing: sse, ndjson, json-array or eventstream.")
    String format;

    @Option(names = "--hex", description = "Input is hex text, one binary frame per line (Bedrock fixtures).")
    boolean hex;

    @Option(names = "--model", paramLabel = "M", description = "Model reported when the stream names none (default: unknown).")
    String model = "unknown";

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException {
        byte[] body = terminal.in().readAllBytes();
        if (hex) {
            try {
                body = HexFormat.of().parseHex(new String(body, StandardCharsets.US_ASCII).replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                return fail("--hex input is not hex: " + e.getMessage());
            }
        }
        Framing framing;
        try {
            framing = format != null ? Framing.parse(format) : Framing.detect(body);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        Optional<StreamDecoder> decoder = decoderFor(provider.toLowerCase(Locale.ROOT), framing);
        if (decoder.isEmpty()) {
            return fail("cannot read " + framing.label + " as provider '" + provider + "' (known: " + ProtocolCatalog.ids()
                    + " and the OpenAI-compatible presets)");
        }
        OutputStream out = new BufferedOutputStream(terminal.out(), 16 * 1024);
        List<StreamChunk> chunks = new ArrayList<>();
        ChunkJsonWriter json = new ChunkJsonWriter();
        long[] seq = {0};
        Consumer<StreamChunk> sink = accumulate ? chunks::add : chunk -> {
            json.encode(chunk.withPosition("st_normalize", seq[0]++));
            try {
                json.writeTo(out);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try {
            StreamDecoder d = decoder.get();
            d.feed(body, 0, body.length, sink);
            d.end(sink);
        } catch (SseLimitExceededException e) {
            out.flush();
            return fail(e.getMessage());
        }
        if (accumulate) {
            out.write(ResponseSummary.of(chunks).toPrettyString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        out.flush();
        return 0;
    }

    private Optional<StreamDecoder> decoderFor(String name, Framing framing) {
        DecoderContext context = new DecoderContext(name, model);
        if (name.equals("gemini")) {
            return switch (framing) {
                case SSE -> Optional.of(GeminiStreamDecoder.sse(context, SseLimits.DEFAULTS));
                case JSON_ARRAY -> Optional.of(GeminiStreamDecoder.jsonArray(context, SseLimits.DEFAULTS));
                default -> Optional.empty();
            };
        }
        String effective = name.equals("ollama") && framing == Framing.SSE ? "ollama-openai" : name;
        Optional<ProviderProtocol> protocol = ProtocolCatalog.forProviderName(effective);
        if (protocol.isEmpty() || !framing.fits(protocol.get().id())) {
            return Optional.empty();
        }
        return Optional.of(protocol.get().newDecoder(context));
    }

    private int fail(String message) {
        terminal.err().println("aistream normalize: " + message);
        return Main.EXIT_BAD_INPUT;
    }

    /** The body framings providers use. */
    enum Framing {
        SSE("sse", "Server-Sent Events"),
        NDJSON("ndjson", "NDJSON"),
        JSON_ARRAY("json-array", "a JSON array"),
        EVENTSTREAM("eventstream", "an AWS event stream");

        final String option;
        final String label;

        Framing(String option, String label) {
            this.option = option;
            this.label = label;
        }

        static Framing parse(String option) {
            for (Framing f : values()) {
                if (f.option.equals(option)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--format must be sse, ndjson, json-array or eventstream, not '" + option + "'");
        }

        /** Guesses the framing from the first meaningful bytes. */
        static Framing detect(byte[] body) {
            int i = 0;
            if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
                i = 3;
            }
            if (body.length >= 12 && isBinary(body)) {
                return EVENTSTREAM;
            }
            while (i < body.length && Character.isWhitespace(body[i])) {
                i++;
            }
            if (i < body.length && body[i] == '[') {
                return JSON_ARRAY;
            }
            if (i < body.length && body[i] == '{') {
                return NDJSON;
            }
            return SSE;
        }

        private static boolean isBinary(byte[] body) {
            // An AWS event-stream frame starts with a 4-byte big-endian total length (a NUL first for any sane frame).
            return body[0] == 0;
        }

        boolean fits(String protocolId) {
            return switch (protocolId) {
                case "ollama" -> this == NDJSON;
                case "bedrock" -> this == EVENTSTREAM;
                default -> this == SSE;
            };
        }
    }
}
