package io.aistream.bench.load;

import io.aistream.bench.upstream.Fault;
import io.aistream.json.Jackson;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request bodies of a run, built once: the bench parameters travel in {@code aistream_bench}
 * (top level for OpenAI; in {@code providerOptions}, which a gateway passes to the provider's
 * request at top level, for native and ws), the chunk count also as {@code max_tokens} /
 * {@code maxOutputTokens}, and optionally in the model name. The UI protocol sends the native fields
 * with its message in the UI message shape. With {@code --abort-after} each
 * stream's body is built for it and carries a {@link #tag(long) tag} (a per-run random base plus the
 * stream's global index, so runs against one upstream do not mix), so the upstream can say when it
 * saw that stream aborted (the abort latency); otherwise the bodies are shared.
 */
final class RequestBodies {
    static final JsonMapper JSON = Jackson.mapper();
    private final LoadOptions o;
    private final byte[] normal;
    private final byte[] faulty;
    private final byte[] normalRequest;
    private final byte[] faultyRequest;
    private final boolean tagged;
    private final long tagBase;

    RequestBodies(LoadOptions o) {
        this.o = o;
        this.tagged = o.abortAfter() > 0;
        // below 2^52, so the tags survive any relay that reads JSON numbers as doubles
        this.tagBase = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 30) << 22;
        this.normal = body(Fault.NONE, -1);
        this.faulty = o.fault().kind() == Fault.Kind.NONE ? normal : body(o.fault(), -1);
        this.normalRequest = httpRequest(normal);
        this.faultyRequest = httpRequest(faulty);
    }

    /** The tag of the stream with this global index, or -1 when streams are not tagged. */
    long tag(long index) {
        return tagged ? tagBase + index : -1;
    }

    /** The body for the stream with this global index. */
    byte[] forStream(long index) {
        if (tagged) {
            return body(faultFor(index), tag(index));
        }
        return index % o.faultEvery() == 0 ? faulty : normal;
    }

    /** The whole HTTP/1.1 request (head and body) for the stream with this global index. */
    byte[] httpRequestFor(long index) {
        if (tagged) {
            return httpRequest(forStream(index));
        }
        return index % o.faultEvery() == 0 ? faultyRequest : normalRequest;
    }

    /** The native request object (for ws start messages) of the stream with this global index. */
    ObjectNode nativeRequestFor(long index) {
        return nativeRequest(faultFor(index), tag(index));
    }

    private byte[] httpRequest(byte[] body) {
        String host = o.target().getHost()
                + (o.target().getPort() > 0 ? ":" + o.target().getPort() : "");
        StringBuilder h = new StringBuilder(256)
                .append("POST ")
                .append(o.endpointPath())
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append("\r\n")
                .append("User-Agent: aistream-bench\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Content-Type: application/json\r\n");
        if (o.apiKey() != null) {
            h.append("Authorization: Bearer ").append(o.apiKey()).append("\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** The native request object; {@code tag} -1 for an untagged stream. */
    private ObjectNode nativeRequest(Fault fault, long tag) {
        ObjectNode r = JSON.createObjectNode();
        r.put("provider", o.provider());
        r.put("model", model(fault, tag));
        r.putArray("messages").addObject().put("role", "user").put("content", "bench");
        r.put("maxOutputTokens", o.tokens());
        r.putObject("providerOptions").set("aistream_bench", params(fault, tag));
        if (o.backpressure() != null) {
            r.put("backpressure", o.backpressure());
        }
        if (o.resumable()) {
            r.put("resumable", true);
        }
        return r;
    }

    Fault faultFor(long index) {
        return index % o.faultEvery() == 0 ? o.fault() : Fault.NONE;
    }

    private byte[] body(Fault fault, long tag) {
        ObjectNode r;
        if (o.protocol() == Protocol.OPENAI) {
            r = JSON.createObjectNode();
            r.put("model", model(fault, tag));
            r.put("stream", true);
            r.putObject("stream_options").put("include_usage", true);
            r.put("max_tokens", o.tokens());
            r.putArray("messages").addObject().put("role", "user").put("content", "bench");
            if (!o.modelParams()) { // with model params the model name carries them: strict relays refuse unknown
                // fields
                r.set("aistream_bench", params(fault, tag));
            }
        } else {
            r = nativeRequest(fault, tag);
            if (o.protocol() == Protocol.UI) {
                // the same native fields; the message as useChat sends it, and no chat id: every stream
                // stands alone (a shared id would make each new stream abort the one before it)
                r.putArray("messages")
                        .addObject()
                        .put("id", "u1")
                        .put("role", "user")
                        .putArray("parts")
                        .addObject()
                        .put("type", "text")
                        .put("text", "bench");
            }
        }
        return JSON.writeValueAsString(r).getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode params(Fault fault, long tag) {
        ObjectNode p = JSON.createObjectNode();
        p.put("chunks", o.tokens());
        p.put("rate", o.rate());
        p.put("chunkSize", o.chunkSize());
        if (o.ttftMs() > 0) {
            p.put("ttftMs", o.ttftMs());
        }
        if (fault.kind() != Fault.Kind.NONE) {
            p.put("fault", fault.toString());
        }
        if (tag >= 0) {
            p.put("tag", tag);
        }
        return p;
    }

    private String model(Fault fault, long tag) {
        if (!o.modelParams()) {
            return o.model();
        }
        String m = o.model() + "@chunks=" + o.tokens() + ",rate=" + LoadOptions.formatRate(o.rate()) + ",chunkSize="
                + o.chunkSize();
        if (o.ttftMs() > 0) {
            m += ",ttftMs=" + o.ttftMs();
        }
        if (tag >= 0) {
            m += ",tag=" + tag;
        }
        return fault.kind() == Fault.Kind.NONE ? m : m + ",fault=" + fault;
    }
}
