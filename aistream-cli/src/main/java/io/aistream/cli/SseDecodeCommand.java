package io.aistream.cli;

import io.aistream.json.Jackson;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import io.aistream.sse.SseListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code aistream sse decode}: SSE bytes on stdin, one JSON object per dispatched event on stdout.
 *
 * <p>Each event is flushed as soon as it is dispatched, so {@code curl -N … | aistream sse decode}
 * shows events live.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a Server-Sent Events byte stream on stdin and writes one JSON object per dispatched event:",
            "  {\"event\":\"message\",\"data\":\"...\",\"id\":\"...\",\"retry\":3000}",
            "id is the last event id at dispatch (omitted when empty); retry appears when that event's block set one.",
            "Exit 0 at end of input; 2 when a line or event exceeds the size limit."
        })
final class SseDecodeCommand implements Callable<Integer>, Main.TerminalAware {
    private static final JsonFactory JSON =
            Jackson.factoryBuilder().rootValueSeparator("").build();

    @Option(
            names = "--max-line-bytes",
            paramLabel = "N",
            description = "Longest line accepted (default ${DEFAULT-VALUE}).")
    int maxLineBytes = SseLimits.DEFAULTS.maxLineBytes();

    @Option(
            names = "--max-event-bytes",
            paramLabel = "N",
            description = "Largest event data accepted (default ${DEFAULT-VALUE}).")
    int maxEventBytes = SseLimits.DEFAULTS.maxEventBytes();

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException {
        SseLimits limits;
        try {
            limits = new SseLimits(maxLineBytes, maxEventBytes);
        } catch (IllegalArgumentException e) {
            terminal.err().println("aistream sse decode: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        OutputStream out = new BufferedOutputStream(terminal.out(), 16 * 1024);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            SseDecoder decoder = new SseDecoder(new EventPrinter(json, out), limits);
            InputStream in = terminal.in();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                decoder.feed(buffer, 0, n);
            }
            decoder.end();
        } catch (SseLimitExceededException e) {
            out.flush();
            terminal.err().println("aistream sse decode: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        out.flush();
        return 0;
    }

    /** Writes each event as one JSON line and flushes it. */
    private record EventPrinter(JsonGenerator json, OutputStream out) implements SseListener {
        @Override
        public void onEvent(SseEvent event) {
            json.writeStartObject();
            json.writeStringProperty("event", event.event());
            json.writeStringProperty("data", event.data());
            if (!event.lastEventId().isEmpty()) {
                json.writeStringProperty("id", event.lastEventId());
            }
            if (event.retry().isPresent()) {
                json.writeNumberProperty("retry", event.retry().getAsLong());
            }
            json.writeEndObject();
            json.flush();
            try {
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
