package io.aistream.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** Builds event-stream frames for tests with the AWS SDK's encoder. */
final class Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] eventFrame(String eventType, String json) {
        return frame(
                Map.of(":message-type", "event", ":event-type", eventType, ":content-type", "application/json"), json);
    }

    static byte[] exceptionFrame(String exceptionType, String json) {
        return frame(
                Map.of(
                        ":message-type",
                        "exception",
                        ":exception-type",
                        exceptionType,
                        ":content-type",
                        "application/json"),
                json);
    }

    static byte[] frame(Map<String, String> headers, String payload) {
        Map<String, HeaderValue> values = new LinkedHashMap<>();
        headers.forEach((name, value) -> values.put(name, HeaderValue.fromString(value)));
        ByteBuffer buffer = new Message(values, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    Frames add(byte[] frame) {
        out.writeBytes(frame);
        return this;
    }

    Frames event(String eventType, String json) {
        return add(eventFrame(eventType, json));
    }

    Frames text(String delta) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + quote(delta) + "}}");
    }

    Frames stop(String reason) {
        return event("messageStop", "{\"stopReason\":\"" + reason + "\"}");
    }

    Frames usage(int in, int out, int total) {
        return event(
                "metadata",
                "{\"usage\":{\"inputTokens\":" + in + ",\"outputTokens\":" + out + ",\"totalTokens\":" + total
                        + "},\"metrics\":{\"latencyMs\":10}}");
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
