package io.aistream.provider.openai;

import io.aistream.json.Jackson;
import java.io.StringWriter;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * Test oracle: the Jackson-based chunk parser as it was before {@link ChatChunkParser} moved to
 * {@code JsonCursor}; the differential tests compare the two. Reads one {@code chat.completion.chunk} payload with Jackson's streaming parser and reports what it
 * carries to a {@link ChatChunkParser.Handler}, in payload order. Fields it does not need are skipped without being
 * decoded. Understands the compatible servers' shapes: {@code reasoning_content} / {@code reasoning}
 * (counted once per delta, {@code reasoning_details} ignored), Mistral content arrays with
 * {@code thinking} chunks, tool calls without {@code index}/{@code type}, the deprecated
 * {@code function_call}, an {@code error} object (OpenAI, OpenRouter) and vLLM's flat
 * {@code {"object":"error",...}}, and Groq's {@code x_groq.usage}.
 *
 * <p>Stateless apart from reusable scratch; not thread-safe (one per decoder).
 */
final class JacksonChatChunkParser {
    // Every JSON factory here takes its buffers from Jackson's shared bounded pool: the default, a pool
    // per factory that never shrinks, kept ~100 KB for every stream that was ever parsing at once.
    private static final JsonFactory JSON = Jackson.factory();

    /** The error fields of one chunk, gathered in any order. */
    private String errorType;

    private String errorCode;
    private String errorMessage;
    private OptionalInt errorStatus = OptionalInt.empty();
    private boolean hasError;

    /**
     * Parses {@code data}, one complete JSON payload.
     *
     * @throws JacksonException if it is not well-formed JSON
     */
    void parse(String data, ChatChunkParser.Handler h) {
        hasError = false;
        errorType = null;
        errorCode = null;
        errorMessage = null;
        errorStatus = OptionalInt.empty();
        boolean flatError = false;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StreamReadException(p, "a chunk must be a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "choices" -> choices(p, t, h);
                    case "model" -> model(p, t, h);
                    case "usage" -> usage(p, t, h);
                    case "error" -> errorObject(p, t);
                    case "object" -> flatError = t == JsonToken.VALUE_STRING && sameText(p, "error");
                    case "message" -> errorMessage = stringOrNull(p, t, errorMessage);
                    case "type" -> errorType = stringOrNull(p, t, errorType);
                    case "code" -> errorCode(p, t);
                    case "x_groq" -> groq(p, t, h);
                    default -> p.skipChildren();
                }
            }
            expectEnd(p);
        }
        if (flatError) {
            hasError = true;
        }
        if (hasError) {
            h.error(errorType != null && !errorType.isEmpty() ? errorType : errorCode, errorMessage, errorStatus);
        }
    }

    private static void expectEnd(JsonParser p) {
        if (p.nextToken() != null) {
            throw new StreamReadException(p, "unexpected content after the chunk object");
        }
    }

    private static void choices(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "delta" -> delta(p, v, h);
                    case "finish_reason" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            h.finishReason(p.getString());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        skipRestOfArray(p);
    }

    private static void delta(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        boolean reasoningTaken = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "content" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        if (p.getStringLength() > 0) {
                            h.content(p.getString());
                        }
                    } else if (v == JsonToken.START_ARRAY) {
                        contentArray(p, h);
                    } else {
                        p.skipChildren();
                    }
                }
                // Compatible servers name reasoning either way; one delta never counts it twice.
                case "reasoning_content", "reasoning" -> {
                    if (v == JsonToken.VALUE_STRING && !reasoningTaken && p.getStringLength() > 0) {
                        reasoningTaken = true;
                        h.reasoning(p.getString());
                    } else {
                        p.skipChildren();
                    }
                }
                case "refusal" -> {
                    if (v == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
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
    private static void contentArray(JsonParser p, ChatChunkParser.Handler h) {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String type = null;
            String text = null;
            StringBuilder thinking = null;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> type = v == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "text" -> text = v == JsonToken.VALUE_STRING ? p.getString() : null;
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
    private static StringBuilder thinkingTexts(JsonParser p, JsonToken t) {
        StringBuilder sb = new StringBuilder();
        if (t == JsonToken.VALUE_STRING) {
            return sb.append(p.getString());
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return sb;
        }
        JsonToken e;
        while ((e = p.nextToken()) == JsonToken.START_OBJECT || e == JsonToken.VALUE_STRING) {
            if (e == JsonToken.VALUE_STRING) {
                sb.append(p.getString());
                continue;
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                if (name.equals("text") && v == JsonToken.VALUE_STRING) {
                    sb.append(p.getString());
                } else {
                    p.skipChildren();
                }
            }
        }
        skipRestOfArray(p, e);
        return sb;
    }

    private static void toolCalls(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = -1;
            String id = null;
            String fnName = null;
            String args = null;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "index" -> index = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "id" -> id = v == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "function" -> {
                        if (v == JsonToken.START_OBJECT) {
                            String f;
                            while ((f = p.nextName()) != null) {
                                JsonToken fv = p.nextToken();
                                if (f.equals("name")) {
                                    fnName = fv == JsonToken.VALUE_STRING ? p.getString() : null;
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

    private static void functionCall(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String fnName = null;
        String args = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if (name.equals("name")) {
                fnName = v == JsonToken.VALUE_STRING ? p.getString() : null;
            } else if (name.equals("arguments")) {
                args = arguments(p, v);
            } else {
                p.skipChildren();
            }
        }
        h.functionCall(fnName, args);
    }

    /** Arguments are a JSON string; a few servers send the object itself, which is re-serialized compactly. */
    private static String arguments(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
                g.copyCurrentStructure(p);
            }
            return w.toString();
        }
        return null;
    }

    private static void model(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return;
        }
        String current = h.currentModel();
        if (current == null || !sameText(p, current)) {
            String m = p.getString();
            if (!m.isEmpty()) {
                h.model(m);
            }
        }
    }

    /** Whether the current string token equals {@code s}, without allocating. */
    private static boolean sameText(JsonParser p, String s) {
        int len = p.getStringLength();
        if (len != s.length()) {
            return false;
        }
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        for (int i = 0; i < len; i++) {
            if (chars[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void usage(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_OBJECT) {
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
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> input = count(p, v);
                case "completion_tokens" -> output = count(p, v);
                case "total_tokens" -> total = count(p, v);
                case "prompt_tokens_details" -> cached = detail(p, v, "cached_tokens");
                case "completion_tokens_details" -> reasoning = detail(p, v, "reasoning_tokens");
                case "prompt_cache_hit_tokens" -> cacheHit = count(p, v);
                default -> p.skipChildren();
            }
        }
        if (input >= 0 || output >= 0 || total >= 0) {
            h.usage(input, output, total, cached >= 0 ? cached : cacheHit, reasoning);
        }
    }

    private static long detail(JsonParser p, JsonToken t, String wanted) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return -1;
        }
        long found = -1;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if (name.equals(wanted)) {
                found = count(p, v);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static long count(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long v = p.getLongValue();
            return v >= 0 ? v : -1;
        }
        p.skipChildren();
        return -1;
    }

    private static void groq(JsonParser p, JsonToken t, ChatChunkParser.Handler h) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if (name.equals("usage")) {
                usage(p, v, h);
            } else {
                p.skipChildren();
            }
        }
    }

    private void errorObject(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        hasError = true;
        if (t == JsonToken.VALUE_STRING) {
            errorMessage = p.getString();
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "message" -> errorMessage = stringOrNull(p, v, null);
                case "type" -> errorType = stringOrNull(p, v, null);
                case "code" -> errorCode(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** {@code code} is a string (OpenAI) or a number (OpenRouter: an HTTP-like status). */
    private void errorCode(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            errorCode = p.getString();
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
            errorCode = p.getString();
            int status = p.getValueAsInt(0);
            if (status >= 100 && status < 600) {
                errorStatus = OptionalInt.of(status);
            }
        } else {
            p.skipChildren();
        }
    }

    private static String stringOrNull(JsonParser p, JsonToken t, String fallback) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        p.skipChildren();
        return fallback;
    }

    private static void skipRestOfArray(JsonParser p) {
        skipRestOfArray(p, p.currentToken());
    }

    /** After a loop over an array's objects stopped at {@code last}, skips any other elements. */
    private static void skipRestOfArray(JsonParser p, JsonToken last) {
        JsonToken t = last;
        while (t != JsonToken.END_ARRAY && t != null) {
            p.skipChildren();
            t = p.nextToken();
        }
    }
}
