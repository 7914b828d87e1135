package io.aistream.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.aistream.TestSeeds;
import io.aistream.json.Jackson;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random mutations of a valid native body: the reader either accepts the result or refuses it
 * with an {@link InvalidRequestException} whose field path leads into the mutated document — never
 * another exception. The seed is fixed and printed; {@code -Daistream.seed=<seed>} picks another.
 */
class ChatRequestMutationTest {
    private static final int CASES = 3000;
    private static final String VALID = """
            {"model": "gpt-4o-mini", "system": "be terse",
             "messages": [
               {"role": "user", "content": "hi"},
               {"role": "user", "content": [{"type": "text", "text": "look"},
                                            {"type": "image", "url": "https://x/y.png"},
                                            {"type": "image", "mediaType": "image/png", "data": "iVBORw0KGgo="}]},
               {"role": "assistant", "content": "", "toolCalls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]},
               {"role": "tool", "toolCallId": "call_1", "name": "get_weather", "content": "{}", "isError": true}],
             "tools": [{"name": "get_weather", "description": "weather", "parameters": {"type": "object"}}],
             "toolChoice": {"tool": "get_weather"},
             "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 100, "stop": ["END", "STOP"],
             "reasoning": {"budgetTokens": 1024},
             "providerOptions": {"seed": 7}}
            """;
    private static final List<String> NAMES = List.of(
            "model",
            "system",
            "messages",
            "tools",
            "toolChoice",
            "temperature",
            "topP",
            "maxOutputTokens",
            "stop",
            "reasoning",
            "providerOptions",
            "role",
            "content",
            "toolCalls",
            "toolCallId",
            "name",
            "isError",
            "id",
            "arguments",
            "type",
            "text",
            "url",
            "mediaType",
            "data",
            "description",
            "parameters",
            "tool",
            "effort",
            "budgetTokens",
            "contnet",
            "x");
    private static final List<String> STRINGS = List.of(
            "",
            " ",
            "user",
            "assistant",
            "tool",
            "system",
            "bot",
            "text",
            "image",
            "audio",
            "auto",
            "none",
            "required",
            "get_weather",
            "low",
            "max",
            "image/png",
            "data:x",
            "AAAA");

    @Test
    void everyMutationIsAcceptedOrRefusedWithAPathIntoTheDocument() {
        long seed = TestSeeds.seed(ChatRequestMutationTest.class, 20_261_207L);
        SplittableRandom random = new SplittableRandom(seed);
        JsonNode valid = ChatRequestJson.readTree(VALID);
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            JsonNode body = valid.deepCopy();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                body = mutate(body, random);
            }
            try {
                ChatRequestJson.parse(body);
            } catch (InvalidRequestException e) {
                refused++;
                if (e.field().isPresent()) {
                    assertThat(resolvesParent(body, e.field().get()))
                            .as("seed %d case %d: %s in %s", seed, i, e.getMessage(), body)
                            .isTrue();
                }
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + body, e);
            }
        }
        assertThat(refused).as("seed %d", seed).isPositive();
    }

    /** Whether every step of {@code path} but the last exists in {@code root}. */
    private static boolean resolvesParent(JsonNode root, String path) {
        List<Object> steps = steps(path);
        JsonNode node = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            Object step = steps.get(i);
            node = step instanceof Integer index ? node.get(index) : node.get((String) step);
            if (node == null) {
                return false;
            }
        }
        return true;
    }

    private static List<Object> steps(String path) {
        List<Object> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            steps.add(bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                steps.add(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return steps;
    }

    private static JsonNode mutate(JsonNode root, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return randomValue(random);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target == root && random.nextInt(50) == 0) {
            return randomValue(random);
        }
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            switch (random.nextInt(3)) {
                case 0 -> object.set(NAMES.get(random.nextInt(NAMES.size())), randomValue(random));
                case 1 -> {
                    if (!names.isEmpty()) {
                        object.remove(names.get(random.nextInt(names.size())));
                    }
                }
                default -> {
                    if (!names.isEmpty()) {
                        object.set(names.get(random.nextInt(names.size())), randomValue(random));
                    }
                }
            }
        } else if (target instanceof ArrayNode array) {
            switch (random.nextInt(3)) {
                case 0 -> array.add(randomValue(random));
                case 1 -> {
                    if (!array.isEmpty()) {
                        array.remove(random.nextInt(array.size()));
                    }
                }
                default -> {
                    if (!array.isEmpty()) {
                        array.set(random.nextInt(array.size()), randomValue(random));
                    }
                }
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainer()) {
            out.add(node);
            for (JsonNode child : node) {
                collect(child, out);
            }
        }
    }

    private static JsonNode randomValue(SplittableRandom random) {
        JsonNodeFactory f = Jackson.mapper().getNodeFactory();
        return switch (random.nextInt(10)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt(-2, 5));
            case 3 -> f.numberNode(random.nextDouble() * 3);
            case 4 -> f.numberNode(99_999_999_999L);
            case 5 -> f.arrayNode().add(STRINGS.get(random.nextInt(STRINGS.size())));
            case 6 -> f.arrayNode();
            case 7 -> {
                ObjectNode o = f.objectNode();
                o.put(NAMES.get(random.nextInt(NAMES.size())), STRINGS.get(random.nextInt(STRINGS.size())));
                yield o;
            }
            default -> f.stringNode(STRINGS.get(random.nextInt(STRINGS.size())));
        };
    }
}
