package io.aistream.cli;

import io.aistream.chunk.ChunkJsonWriter;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.ResponseSummary;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import io.aistream.sse.SseLimitExceededException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
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

    @Option(
            names = "--provider",
            required = true,
            paramLabel = "P",
            completionCandidates = ProviderNames.class,
            description = "The provider whose body this is: ${COMPLETION-CANDIDATES}.")
    String provider;

    @Option(names = "--accumulate", description = "Write one summary object instead of chunk lines.")
    boolean accumulate;

    @Option(
            names = "--format",
            paramLabel = "F",
            description = "Force the framing: sse, ndjson, json-array or eventstream.")
    String format;

    @Option(names = "--hex", description = "Input is hex text, one binary frame per line (Bedrock fixtures).")
    boolean hex;

    @Option(
            names = "--model",
            paramLabel = "M",
            description = "Model reported when the stream names none (default: unknown).")
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
            return fail("cannot read " + framing.format.label() + " as provider '" + provider + "' (known: "
                    + ProtocolCatalog.providerNames() + ")");
        }
        OutputStream out = new BufferedOutputStream(terminal.out(), 16 * 1024);
        List<StreamChunk> chunks = new ArrayList<>();
        ChunkJsonWriter json = new ChunkJsonWriter();
        long[] seq = {0};
        Consumer<StreamChunk> sink = accumulate
                ? chunks::add
                : chunk -> {
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

    /** The registered descriptors pick the decoder: by the provider name and the body's framing. */
    private Optional<StreamDecoder> decoderFor(String name, Framing framing) {
        return ProtocolCatalog.decoder(name, framing.format, new DecoderContext(name, model));
    }

    /** The names {@code --provider} takes, from the registered provider descriptors (for the help). */
    static final class ProviderNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ProtocolCatalog.providerNames().iterator();
        }
    }

    private int fail(String message) {
        terminal.err().println("aistream normalize: " + message);
        return Main.EXIT_BAD_INPUT;
    }

    /** The body framings providers use, as {@code --format} names them. */
    enum Framing {
        SSE("sse", WireFormat.SSE),
        NDJSON("ndjson", WireFormat.NDJSON),
        JSON_ARRAY("json-array", WireFormat.JSON_ARRAY),
        EVENTSTREAM("eventstream", WireFormat.EVENT_STREAM);

        final String option;
        final WireFormat format;

        Framing(String option, WireFormat format) {
            this.option = option;
            this.format = format;
        }

        static Framing parse(String option) {
            for (Framing f : values()) {
                if (f.option.equals(option)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "--format must be sse, ndjson, json-array or eventstream, not '" + option + "'");
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
    }
}
