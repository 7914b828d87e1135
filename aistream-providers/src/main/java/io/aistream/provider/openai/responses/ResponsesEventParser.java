package io.aistream.provider.openai.responses;

import io.aistream.provider.support.JsonCursor;
import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.provider.support.JsonCursor.Token;

/**
 * Reads one Responses API event payload with a reusable {@link JsonCursor} into a {@link ResponsesEvent},
 * skipping whatever the decoder does not use (the echoed request, output arrays, logprobs,
 * obfuscation) without decoding it. Per event it allocates only the Strings it stores in the event.
 * Not thread-safe: one per decoder.
 */
final class ResponsesEventParser {
    private final JsonCursor p = new JsonCursor();

    /**
     * Parses {@code data} into {@code e} (reset first).
     *
     * @throws MalformedJsonException if it is not one well-formed JSON object
     */
    void parse(String data, ResponsesEvent e) {
        p.reset(data);
        parse(e);
    }

    /**
     * Parses the UTF-8 JSON payload in {@code data[off..off+len)}, read in place (an SSE decoder's
     * buffer), into {@code e}: the same result as {@link #parse(String, ResponsesEvent)} on its text.
     *
     * @throws MalformedJsonException if it is not one well-formed JSON object
     */
    void parse(byte[] data, int off, int len, ResponsesEvent e) {
        p.reset(data, off, len);
        parse(e);
    }

    private void parse(ResponsesEvent e) {
        e.reset();
        JsonCursor p = this.p;
        if (p.nextToken() != Token.START_OBJECT) {
            throw new MalformedJsonException("an event must be a JSON object", p.tokenStart());
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token t = p.nextToken();
            switch (name) {
                case "type" -> e.type = string(p, t);
                case "delta" -> e.delta = string(p, t);
                case "item_id" -> e.itemId = string(p, t);
                case "arguments" -> e.arguments = string(p, t);
                case "item" -> item(p, t, e);
                case "response" -> response(p, t, e);
                case "code" -> e.code = scalar(p, t);
                case "message" -> e.message = string(p, t);
                case "error" -> nestedError(p, t, e);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new MalformedJsonException("unexpected content after the event object", p.tokenStart());
        }
    }

    private static void item(JsonCursor p, Token t, ResponsesEvent e) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "type" -> e.itemType = string(p, v);
                case "id" -> e.itemOwnId = string(p, v);
                case "call_id" -> e.itemCallId = string(p, v);
                case "name" -> e.itemName = string(p, v);
                case "arguments" -> e.itemArguments = string(p, v);
                case "encrypted_content" -> e.itemEncryptedContent = string(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static void response(JsonCursor p, Token t, ResponsesEvent e) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "model" -> e.model = string(p, v);
                case "usage" -> usage(p, v, e);
                case "incomplete_details" -> e.incompleteReason = field(p, v, "reason");
                case "error" -> responseError(p, v, e);
                default -> p.skipChildren();
            }
        }
    }

    private static void usage(JsonCursor p, Token t, ResponsesEvent e) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "input_tokens" -> e.inputTokens = p.count();
                case "output_tokens" -> e.outputTokens = p.count();
                case "total_tokens" -> e.totalTokens = p.count();
                case "input_tokens_details" -> e.cachedTokens = p.countIn("cached_tokens");
                case "output_tokens_details" -> e.reasoningTokens = p.countIn("reasoning_tokens");
                default -> p.skipChildren();
            }
        }
    }

    private static void responseError(JsonCursor p, Token t, ResponsesEvent e) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        e.responseError = true;
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "code" -> e.responseErrorCode = scalar(p, v);
                case "message" -> e.responseErrorMessage = string(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static void nestedError(JsonCursor p, Token t, ResponsesEvent e) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            switch (name) {
                case "type" -> e.nestedType = string(p, v);
                case "code" -> e.nestedCode = scalar(p, v);
                case "message" -> e.nestedMessage = string(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** One string field of an object value, the rest skipped. */
    private static String field(JsonCursor p, Token t, String wanted) {
        if (t != Token.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        String name;
        while ((name = p.nextName()) != null) {
            Token v = p.nextToken();
            if (name.equals(wanted)) {
                found = string(p, v);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String string(JsonCursor p, Token t) {
        if (t == Token.STRING) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    /** A string or a number, as text. */
    private static String scalar(JsonCursor p, Token t) {
        if (t == Token.STRING || t == Token.NUMBER_INT) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }
}
