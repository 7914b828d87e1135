package io.aistream.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Long synthetic response bodies in each provider's wire format: a realistic opening, {@code n}
 * small text deltas shaped like the provider's own, and its terminal events. Used to measure
 * bytes → chunks per provider.
 */
final class ProviderTraffic {
    private static final String[] WORDS = {" the", " model", " streams", ",", " Über", " 東京", " ✓", " \\\"q\\\"", " answer", " is"};

    private ProviderTraffic() {
    }

    static byte[] body(String provider, int deltas) {
        return switch (provider) {
            case "openai-chat" -> sse("", deltas, w -> "data: {\"id\":\"chatcmpl-Bx7kQ2v9TnR4mWp1sLc8aZyE3fHdJ\","
                    + "\"object\":\"chat.completion.chunk\",\"created\":1754380801,\"model\":\"gpt-4o-mini-2024-07-18\","
                    + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"" + w + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,"
                    + "\"obfuscation\":\"EL4VS\"}\n\n",
                    "data: {\"id\":\"chatcmpl-B\",\"object\":\"chat.completion.chunk\",\"created\":1754380801,"
                            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: {\"id\":\"chatcmpl-B\",\"object\":\"chat.completion.chunk\",\"created\":1754380801,"
                            + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":"
                            + deltas + ",\"total_tokens\":" + (deltas + 9) + "}}\n\ndata: [DONE]\n\n");
            case "openai-responses" -> sse("event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
                    + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1\",\"status\":\"in_progress\"},\"sequence_number\":0}\n\n",
                    deltas, w -> "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                            + "\"item_id\":\"msg_68a1c0f3a2b881909c8d7e6f5a4b3c2d\",\"output_index\":0,\"content_index\":0,"
                            + "\"delta\":\"" + w + "\",\"logprobs\":[],\"obfuscation\":\"x\",\"sequence_number\":4}\n\n",
                    "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\","
                            + "\"model\":\"gpt-4.1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":9,"
                            + "\"output_tokens\":" + deltas + ",\"total_tokens\":" + (deltas + 9) + "}},\"sequence_number\":9}\n\n");
            case "anthropic" -> sse("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                    + "\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: "
                    + "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                    deltas, w -> "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + w + "\"}}\n\n",
                    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                            + "\"usage\":{\"output_tokens\":" + deltas + "}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            case "gemini" -> sse("", deltas, w -> "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + w
                    + "\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                    + "\"candidatesTokenCount\": 9,\"totalTokenCount\": 17},\"modelVersion\": \"gemini-2.5-flash\","
                    + "\"responseId\": \"yFWYabnBB8Wg1e8P3ZTdiAY\"}\r\n\r\n",
                    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},"
                            + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                            + "\"candidatesTokenCount\": 10,\"totalTokenCount\": 18}}\r\n\r\n");
            case "ollama" -> sse("", deltas, w -> "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-14T09:21:10.183452113Z\","
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"" + w + "\"},\"done\":false}\n",
                    "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-14T09:21:11Z\",\"message\":{\"role\":\"assistant\","
                            + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":26,"
                            + "\"eval_count\":" + deltas + "}\n");
            case "cohere" -> sse("event: message-start\ndata: {\"id\":\"321d178c\",\"type\":\"message-start\",\"delta\":"
                    + "{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
                    + "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":"
                    + "{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n",
                    deltas, w -> "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":"
                            + "{\"message\":{\"content\":{\"text\":\"" + w + "\"}}}}\n\n",
                    "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\nevent: message-end\ndata: "
                            + "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"tokens\":"
                            + "{\"input_tokens\":507,\"output_tokens\":" + deltas + "}}}}\n\n");
            case "bedrock" -> bedrock(deltas);
            default -> throw new IllegalArgumentException("no traffic for " + provider);
        };
    }

    private interface Delta {
        String event(String word);
    }

    private static byte[] sse(String head, int deltas, Delta delta, String tail) {
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; i < deltas; i++) {
            b.append(delta.event(WORDS[i % WORDS.length]));
        }
        return b.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bedrock(int deltas) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, "messageStart", "{\"p\":\"abcdefghij\",\"role\":\"assistant\"}");
        for (int i = 0; i < deltas; i++) {
            frame(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + WORDS[i % WORDS.length]
                    + "\"},\"p\":\"abcdefghijklmnopq\"}");
        }
        frame(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopqr\"}");
        frame(out, "messageStop", "{\"p\":\"abcdefghijklmn\",\"stopReason\":\"end_turn\"}");
        frame(out, "metadata", "{\"metrics\":{\"latencyMs\":431},\"p\":\"abcdefg\",\"usage\":{\"inputTokens\":21,"
                + "\"outputTokens\":" + deltas + ",\"totalTokens\":" + (deltas + 21) + "}}");
        return out.toByteArray();
    }

    private static void frame(ByteArrayOutputStream out, String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
    }
}
