package io.aistream.provider.openai.responses;

import io.aistream.json.Jackson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * Test oracle: the Jackson-based event parser as it was before {@link ResponsesEventParser} moved to
 * {@code JsonCursor}. Reads one Responses API event payload with Jackson's streaming parser into a {@link ResponsesEvent},
 * skipping whatever the decoder does not use (the echoed request, output arrays, logprobs,
 * obfuscation) without decoding it. Stateless; thread-safe.
 */
final class JacksonResponsesEventParser {
    private static final JsonFactory JSON = Jackson.factory();

    private JacksonResponsesEventParser() {}

    /**
     * Parses {@code data} into {@code e} (reset first).
     *
     * @throws JacksonException if it is not one well-formed JSON object
     */
    static void parse(String data, ResponsesEvent e) {
        e.reset();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StreamReadException(p, "an event must be a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
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
                throw new StreamReadException(p, "unexpected content after the event object");
            }
        }
    }

    private static void item(JsonParser p, JsonToken t, ResponsesEvent e) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
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

    private static void response(JsonParser p, JsonToken t, ResponsesEvent e) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "model" -> e.model = string(p, v);
                case "usage" -> usage(p, v, e);
                case "incomplete_details" -> e.incompleteReason = field(p, v, "reason");
                case "error" -> responseError(p, v, e);
                default -> p.skipChildren();
            }
        }
    }

    private static void usage(JsonParser p, JsonToken t, ResponsesEvent e) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "input_tokens" -> e.inputTokens = count(p, v);
                case "output_tokens" -> e.outputTokens = count(p, v);
                case "total_tokens" -> e.totalTokens = count(p, v);
                case "input_tokens_details" -> e.cachedTokens = detail(p, v, "cached_tokens");
                case "output_tokens_details" -> e.reasoningTokens = detail(p, v, "reasoning_tokens");
                default -> p.skipChildren();
            }
        }
    }

    private static void responseError(JsonParser p, JsonToken t, ResponsesEvent e) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        e.responseError = true;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "code" -> e.responseErrorCode = scalar(p, v);
                case "message" -> e.responseErrorMessage = string(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static void nestedError(JsonParser p, JsonToken t, ResponsesEvent e) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> e.nestedType = string(p, v);
                case "code" -> e.nestedCode = scalar(p, v);
                case "message" -> e.nestedMessage = string(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** One string field of an object value, the rest skipped. */
    private static String field(JsonParser p, JsonToken t, String wanted) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if (name.equals(wanted)) {
                found = string(p, v);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String string(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    /** A string or a number, as text. */
    private static String scalar(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static long detail(JsonParser p, JsonToken t, String wanted) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return ResponsesEvent.ABSENT;
        }
        long found = ResponsesEvent.ABSENT;
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
            return v >= 0 ? v : ResponsesEvent.ABSENT;
        }
        p.skipChildren();
        return ResponsesEvent.ABSENT;
    }
}
