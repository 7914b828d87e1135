package io.aistream.provider.openai;

import io.aistream.json.Jackson;
import io.aistream.provider.support.JsonCursor;
import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.provider.support.JsonCursor.Token;
import java.io.StringWriter;
import java.util.OptionalInt;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one {@code chat.completion.chunk} payload with a reusable {@link JsonCursor} and reports what
 * it carries to a {@link Handler}, in payload order. Fields it does not need are skipped without being
 * decoded. Understands the compatible servers' shapes: {@code reasoning_content} / {@code reasoning}
 * (counted once per delta, {@code reasoning_details} ignored), Mistral content arrays with
 * {@code thinking} chunks, tool calls without {@code index}/{@code type}, the deprecated
 * {@code function_call}, an {@code error} object (OpenAI, OpenRouter) and vLLM's flat
 * {@code {"object":"error",...}}, and Groq's {@code x_groq.usage}.
 *
 * <p>Per chunk it allocates only the Strings it hands to the handler. Stateful scratch; not
 * thread-safe (one per decoder).
 */
final class ChatChunkParser {
    // Only for the rare tool-call arguments sent as a JSON value, re-serialized compactly. Its buffers
    // come from Jackson's shared bounded pool (a per-factory pool never shrinks).
    private static final JsonFactory JSON = Jackson.factory();

    /** Receives the parts of one chunk. */
    interface Handler {
        void content(String delta);

        void reasoning(String delta);

        void refusal(String delta);

        /**
         * One tool-call fragment.
         *
         * @param index    the provider's index, or -1 when absent
         * @param id       the call id, or null
         * @param name     the function name, or null
         * @param args     an arguments fragment, or null
         */
        void toolCall(int index, String id, String name, String args);

        /** The deprecated single {@code function_call} delta. */
        void functionCall(String name, String args);

        void finishReason(String reason);

        /**
         * A usage report; -1 for an absent field.
         *
         * @param input     {@code prompt_tokens} (cached tokens included)
         * @param output    {@code completion_tokens} (reasoning included)
         * @param total     {@code total_tokens}
         * @param cacheRead {@code prompt_tokens_details.cached_tokens}, else DeepSeek's
         *                  {@code prompt_cache_hit_tokens}
         * @param reasoning {@code completion_tokens_details.reasoning_tokens}
         */
        void usage(long input, long output, long total, long cacheRead, long reasoning);

        /** Called only when the model differs from {@link #currentModel()}. */
        void model(String model);

        String currentModel();

        /** An error carried by the chunk, reported after the rest of the chunk. */
        void error(String type, String message, OptionalInt status);
    }

    /** The error fields of one chunk, gathered in any order. */
    private String errorType;

    private String errorCode;
    private String errorMessage;
    private OptionalInt errorStatus = OptionalInt.empty();
    private boolean hasError;
    private final JsonCursor p = new JsonCursor();

    /**
     * Parses {@code data}, one complete JSON payload.
     *
     * @throws MalformedJsonException if it is not one well-formed JSON object
     */
    void parse(String data, Handler h) {
        p.reset(data);
        parse(h);
    }

    /**
     * Parses the UTF-8 JSON payload in {@code data[off..off+len)}, read in place (an SSE decoder's
     * buffer): the same results as {@link #parse(String, Handler)} on its decoded text.
     *
     * @throws MalformedJsonException if it is not one well-formed JSON object
     */
    void parse(byte[] data, int off, int len, Handler h) {
        p.reset(data, off, len);
        parse(h);
    }

    private void parse(Handler h) {
        hasError = false;
        errorType = null;
        errorCode = null;
        errorMessage = null;
        errorStatus = OptionalInt.empty();
        boolean flatError = false;
        JsonCursor p = this.p;
        if (p.nextToken() != Token.START_OBJECT) {
            throw new MalformedJsonException("a chunk must be a JSON object", p.tokenStart());
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token t = p.nextToken();
            switch (name) {
                case "choices" -> choices(p, t, h);
                case "model" -> model(p, t, h);
                case "usage" -> usage(p, t, h);
                case "error" -> errorObject(p, t);
                case "object" -> flatError = t == Token.STRING && p.textEquals("error");
                case "message" -> errorMessage = stringOrNull(p, t, errorMessage);
                case "type" -> errorType = stringOrNull(p, t, errorType);
                case "code" -> errorCode(p, t);
                case "x_groq" -> groq(p, t, h);
                default -> p.skipChildren();
            }
        }
        expectEnd(p);
        if (flatError) {
            hasError = true;
        }
        if (hasError) {
            h.error(errorType != null && !errorType.isEmpty() ? errorType : errorCode, errorMessage, errorStatus);
        }
    }

    private static void expectEnd(JsonCursor p) {
        if (p.nextToken() != null) {
            throw new MalformedJsonException("unexpected content after the chunk object", p.tokenStart());
        }
    }

    private static void choices(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == Token.START_OBJECT) {
            String name;
            while ((name = p.nextName()) != null) {
                Token v = p.nextToken();
                switch (name) {
                    case "delta" -> delta(p, v, h);
                    case "finish_reason" -> {
                        if (v == Token.STRING) {
                            h.finishReason(p.getString());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        skipRestOfArray(p);
    }

    private static void delta(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        boolean reasoningTaken = false;
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "content" -> {
                    if (v == Token.STRING) {
                        if (!p.textEquals("")) {
                            h.content(p.getString());
                        }
                    } else if (v == Token.START_ARRAY) {
                        contentArray(p, h);
                    } else {
                        p.skipChildren();
                    }
                }
                // Compatible servers name reasoning either way; one delta never counts it twice.
                case "reasoning_content", "reasoning" -> {
                    if (v == Token.STRING && !reasoningTaken && !p.textEquals("")) {
                        reasoningTaken = true;
                        h.reasoning(p.getString());
                    } else {
                        p.skipChildren();
                    }
                }
                case "refusal" -> {
                    if (v == Token.STRING && !p.textEquals("")) {
                        h.refusal(p.getString());
                    }
                }
                case "tool_calls" -> toolCalls(p, v, h);
                case "function_call" -> functionCall(p, v, h);
                default -> p.skipChildren();
            }
        }
    }

    /** Mistral (Magistral) content: {@code [{"type":"thinking","thinking":[{"type":"text","text":…}]}, {"type":"text","text":…}]}. */
    private static void contentArray(JsonCursor p, Handler h) {
        Token t;
        while ((t = p.nextToken()) != Token.END_ARRAY) {
            if (t == null) {
                return;
            }
            if (t != Token.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String type = null;
            String text = null;
            StringBuilder thinking = null;
            String name;
            while ((name = p.nextName()) != null) {
                Token v = p.nextToken();
                switch (name) {
                    case "type" -> type = v == Token.STRING ? p.getString() : null;
                    case "text" -> text = v == Token.STRING ? p.getString() : null;
                    case "thinking" -> thinking = thinkingTexts(p, v);
                    default -> p.skipChildren();
                }
            }
            if ("thinking".equals(type)) {
                if (thinking != null && !thinking.isEmpty()) {
                    h.reasoning(thinking.toString());
                }
            } else if ((type == null || "text".equals(type)) && text != null && !text.isEmpty()) {
                h.content(text);
            }
        }
    }

    /** The texts inside a {@code thinking} chunk (an array of text chunks, or a plain string). */
    private static StringBuilder thinkingTexts(JsonCursor p, Token t) {
        StringBuilder sb = new StringBuilder();
        if (t == Token.STRING) {
            return sb.append(p.getString());
        }
        if (t != Token.START_ARRAY) {
            p.skipChildren();
            return sb;
        }
        Token e;
        while ((e = p.nextToken()) == Token.START_OBJECT || e == Token.STRING) {
            if (e == Token.STRING) {
                sb.append(p.getString());
                continue;
            }
            String name;
            while ((name = p.nextName()) != null) {
                Token v = p.nextToken();
                if (name.equals("text") && v == Token.STRING) {
                    sb.append(p.getString());
                } else {
                    p.skipChildren();
                }
            }
        }
        skipRestOfArray(p, e);
        return sb;
    }

    private static void toolCalls(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == Token.START_OBJECT) {
            int index = -1;
            String id = null;
            String fnName = null;
            String args = null;
            String name;
            while ((name = p.nextName()) != null) {
                Token v = p.nextToken();
                switch (name) {
                    case "index" -> index = v == Token.NUMBER_INT ? p.getIntValue() : -1;
                    case "id" -> id = v == Token.STRING ? p.getString() : null;
                    case "function" -> {
                        if (v == Token.START_OBJECT) {
                            String f;
                            while ((f = p.nextName()) != null) {
                                Token fv = p.nextToken();
                                if (f.equals("name")) {
                                    fnName = fv == Token.STRING ? p.getString() : null;
                                } else if (f.equals("arguments")) {
                                    args = arguments(p, fv);
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            h.toolCall(index, id, fnName, args);
        }
        skipRestOfArray(p);
    }

    private static void functionCall(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String fnName = null;
        String args = null;
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            if (name.equals("name")) {
                fnName = v == Token.STRING ? p.getString() : null;
            } else if (name.equals("arguments")) {
                args = arguments(p, v);
            } else {
                p.skipChildren();
            }
        }
        h.functionCall(fnName, args);
    }

    /** Arguments are a JSON string; a few servers send the object itself, which is re-serialized compactly. */
    private static String arguments(JsonCursor p, Token t) {
        if (t == Token.STRING) {
            return p.getString();
        }
        if (t == Token.START_OBJECT || t == Token.START_ARRAY) {
            // Rare: the cursor has checked the value; Jackson re-serializes its text as it always did.
            String raw = p.skipValueRaw();
            StringWriter w = new StringWriter();
            try (JsonParser jp = JSON.createParser(ObjectReadContext.empty(), raw);
                    JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
                jp.nextToken();
                g.copyCurrentStructure(jp);
            }
            return w.toString();
        }
        return null;
    }

    private static void model(JsonCursor p, Token t, Handler h) {
        if (t != Token.STRING) {
            p.skipChildren();
            return;
        }
        String current = h.currentModel();
        if (current == null || !p.textEquals(current)) {
            String m = p.getString();
            if (!m.isEmpty()) {
                h.model(m);
            }
        }
    }

    private static void usage(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        long input = -1;
        long output = -1;
        long total = -1;
        long cached = -1;
        long cacheHit = -1;
        long reasoning = -1;
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> input = p.count();
                case "completion_tokens" -> output = p.count();
                case "total_tokens" -> total = p.count();
                case "prompt_tokens_details" -> cached = p.countIn("cached_tokens");
                case "completion_tokens_details" -> reasoning = p.countIn("reasoning_tokens");
                case "prompt_cache_hit_tokens" -> cacheHit = p.count();
                default -> p.skipChildren();
            }
        }
        if (input >= 0 || output >= 0 || total >= 0) {
            // DeepSeek reports both forms; its own field stands in only where the OpenAI one is missing
            h.usage(input, output, total, cached >= 0 ? cached : cacheHit, reasoning);
        }
    }

    private static void groq(JsonCursor p, Token t, Handler h) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            if (name.equals("usage")) {
                usage(p, v, h);
            } else {
                p.skipChildren();
            }
        }
    }

    private void errorObject(JsonCursor p, Token t) {
        if (t == Token.NULL) {
            return;
        }
        hasError = true;
        if (t == Token.STRING) {
            errorMessage = p.getString();
            return;
        }
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "message" -> errorMessage = stringOrNull(p, v, null);
                case "type" -> errorType = stringOrNull(p, v, null);
                case "code" -> errorCode(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** {@code code} is a string (OpenAI) or a number (OpenRouter: an HTTP-like status). */
    private void errorCode(JsonCursor p, Token t) {
        if (t == Token.STRING) {
            errorCode = p.getString();
        } else if (t == Token.NUMBER_INT) {
            errorCode = p.getString();
            int status = p.getIntValue();
            if (status >= 100 && status < 600) {
                errorStatus = OptionalInt.of(status);
            }
        } else {
            p.skipChildren();
        }
    }

    private static String stringOrNull(JsonCursor p, Token t, String fallback) {
        if (t == Token.STRING) {
            return p.getString();
        }
        p.skipChildren();
        return fallback;
    }

    private static void skipRestOfArray(JsonCursor p) {
        skipRestOfArray(p, p.currentToken());
    }

    /** After a loop over an array's objects stopped at {@code last}, skips any other elements. */
    private static void skipRestOfArray(JsonCursor p, Token last) {
        Token t = last;
        while (t != Token.END_ARRAY && t != null) {
            p.skipChildren();
            t = p.nextToken();
        }
    }
}
