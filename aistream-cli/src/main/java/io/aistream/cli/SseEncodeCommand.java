package io.aistream.cli;

import io.aistream.json.Jackson;
import io.aistream.sse.SseWriter;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code aistream sse encode}: JSON lines on stdin (the shape {@code sse decode} writes, plus
 * {@code comment}) to SSE bytes on stdout.
 *
 * <p>Input is validated line by line; the first invalid line stops the command with exit 2 and a
 * message naming the line and the field. Events before it have been written.
 */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = {
            "Reads JSON lines on stdin and writes Server-Sent Events on stdout. Each line is an object with",
            "optional fields event, data, id (strings), retry (non-negative integer) and comment (string).",
            "A line with only a comment writes a comment; otherwise one event block is written.",
            "Blank lines are skipped. Invalid input: exit 2 with a message naming the line."
        })
final class SseEncodeCommand implements Callable<Integer>, Main.TerminalAware {
    private static final ObjectMapper MAPPER = Jackson.mapper();

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException {
        OutputStream out = new BufferedOutputStream(terminal.out(), 16 * 1024);
        SseWriter writer = new SseWriter(out);
        BufferedReader reader = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                EncodeLine.parse(MAPPER.readTree(line)).writeTo(writer);
                writer.flush();
            } catch (JacksonException e) {
                return fail(out, lineNumber, "not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                return fail(out, lineNumber, e.getMessage());
            }
        }
        out.flush();
        return 0;
    }

    private int fail(OutputStream out, int lineNumber, String message) throws IOException {
        out.flush();
        terminal.err().println("aistream sse encode: line " + lineNumber + ": " + message);
        return Main.EXIT_BAD_INPUT;
    }

    /** One validated input line. */
    private record EncodeLine(String event, String data, String id, Long retry, String comment) {

        static EncodeLine parse(JsonNode node) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            for (String name : node.propertyNames()) {
                switch (name) {
                    case "event", "data", "id", "retry", "comment" -> {}
                    default -> throw new IllegalArgumentException("unknown field '" + name + "'");
                }
            }
            Long retry = null;
            JsonNode r = node.get("retry");
            if (r != null && !r.isNull()) {
                if (!r.isIntegralNumber() || r.asLong() < 0 || !r.canConvertToLong()) {
                    throw new IllegalArgumentException("field 'retry' must be a non-negative integer");
                }
                retry = r.asLong();
            }
            return new EncodeLine(
                    text(node, "event"), text(node, "data"), text(node, "id"), retry, text(node, "comment"));
        }

        private static String text(JsonNode node, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isString()) {
                throw new IllegalArgumentException("field '" + field + "' must be a string");
            }
            return v.asString();
        }

        void writeTo(SseWriter writer) {
            if (comment != null) {
                writer.writeComment(comment);
            }
            boolean block = event != null || data != null || id != null || retry != null;
            if (!block) {
                return;
            }
            if (retry != null) {
                writer.writeRetry(retry);
            }
            if (id != null) {
                writer.writeId(id);
            }
            if (event != null) {
                writer.writeEvent(event);
            }
            if (data != null) {
                writer.writeData(data);
            }
            writer.endEvent();
        }
    }
}
