package io.aistream.provider.simulated;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.json.Jackson;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.ToolDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The output chunks of one simulated answer (without the final {@code done}), generated lazily so a
 * million-piece answer costs no memory up front. Deterministic for a given request and seed.
 */
final class SimulatedScript implements Iterator<StreamChunk> {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String[] WORDS = {
        "stream",
        "token",
        "chunk",
        "model",
        "answer",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "lazy",
        "dog",
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "river",
        "light",
        "signal",
        "gateway",
        "browser",
        "socket",
        "every",
        "provider",
        "one",
        "layer",
        "fast",
        "exact",
        "wire",
        "format",
        "Zürich",
        "naïve",
        "東京",
        "✓",
    };

    private final Iterator<StreamChunk> pieces;
    private final boolean toolCalls;

    private SimulatedScript(Iterator<StreamChunk> pieces, boolean toolCalls) {
        this.pieces = pieces;
        this.toolCalls = toolCalls;
    }

    /** The script for {@code model}; unknown models are rejected by {@link SimulatedProvider}. */
    static SimulatedScript forModel(SimulatedModel model, ChatRequest request, SimulationSettings settings) {
        return switch (model) {
            case ECHO -> new SimulatedScript(words(echoText(request)).iterator(), false);
            case LOREM -> new SimulatedScript(new Lorem(settings.length(), settings.seed(), false), false);
            case REASONING ->
                new SimulatedScript(
                        concat(
                                new Lorem(Math.max(5, settings.length() / 3), settings.seed() + 1, true),
                                new Lorem(settings.length(), settings.seed(), false)),
                        false);
            case TOOLS ->
                request.tools().isEmpty()
                        ? new SimulatedScript(words(echoText(request)).iterator(), false)
                        : lastIsToolResult(request)
                                ? new SimulatedScript(words(toolAnswer(request)).iterator(), false)
                                : new SimulatedScript(
                                        toolCall(request.tools().get(0)).iterator(), true);
        };
    }

    /**
     * What of this (fresh) script follows {@code prefill}: the content pieces are matched against
     * the prefill text (reasoning is skipped, and not played again), a piece the prefill ends inside
     * is split, and the script continues with the rest. Empty when the answer's text does not start
     * with {@code prefill} (a tool call comes first, the text differs, or it is too short). Consumes
     * this script; the work is bounded by the prefill's length.
     */
    Optional<SimulatedScript> after(String prefill) {
        int matched = 0;
        StreamChunk split = null;
        while (matched < prefill.length()) {
            if (!pieces.hasNext()) {
                return Optional.empty();
            }
            StreamChunk piece = pieces.next();
            if (piece instanceof ReasoningChunk) {
                continue;
            }
            if (!(piece instanceof ContentChunk content)) {
                return Optional.empty();
            }
            String text = content.delta();
            int wanted = prefill.length() - matched;
            if (text.length() <= wanted) {
                if (!prefill.startsWith(text, matched)) {
                    return Optional.empty();
                }
                matched += text.length();
            } else {
                if (!text.startsWith(prefill.substring(matched))) {
                    return Optional.empty();
                }
                split = ContentChunk.of(text.substring(wanted));
                matched = prefill.length();
            }
        }
        Iterator<StreamChunk> rest = withoutReasoning(pieces);
        return Optional.of(
                new SimulatedScript(split == null ? rest : concat(List.of(split).iterator(), rest), toolCalls));
    }

    /** Whether this answer ends with tool calls. */
    boolean endsWithToolCalls() {
        return toolCalls;
    }

    @Override
    public boolean hasNext() {
        return pieces.hasNext();
    }

    @Override
    public StreamChunk next() {
        return pieces.next();
    }

    static String echoText(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            if (request.messages().get(i) instanceof Message.User user) {
                StringBuilder text = new StringBuilder();
                for (ContentPart part : user.content()) {
                    if (part instanceof ContentPart.Text t) {
                        text.append(t.text());
                    }
                }
                if (!text.isEmpty()) {
                    return text.toString();
                }
            }
        }
        return "(nothing to echo)";
    }

    /** Whether the conversation ends with a tool result: the model then answers instead of calling again. */
    private static boolean lastIsToolResult(ChatRequest request) {
        return request.messages().get(request.messages().size() - 1) instanceof Message.Tool;
    }

    /** The answer after tool results: it quotes the last one, so agents see their loop close. */
    private static String toolAnswer(ChatRequest request) {
        Message.Tool result =
                (Message.Tool) request.messages().get(request.messages().size() - 1);
        return "The " + result.name() + " tool returned " + result.content() + ".";
    }

    /** Splits text into pieces that each start at a word and keep the whitespace before the next. */
    static List<StreamChunk> words(String text) {
        List<StreamChunk> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            out.add(ContentChunk.of(text.substring(start, i)));
            start = i;
        }
        return out;
    }

    private static List<StreamChunk> toolCall(ToolDefinition tool) {
        List<StreamChunk> out = new ArrayList<>(words("Let me call " + tool.name() + ". "));
        String arguments = JSON.writeValueAsString(exampleArguments(tool.parameters()));
        out.add(ToolCallChunk.of(ToolCallDelta.start(0, "call_sim_1", tool.name(), "")));
        for (int i = 0; i < arguments.length(); i += 8) {
            out.add(ToolCallChunk.of(
                    ToolCallDelta.arguments(0, arguments.substring(i, Math.min(arguments.length(), i + 8)))));
        }
        return out;
    }

    /** A JSON object with a plausible value for every declared property. */
    static ObjectNode exampleArguments(JsonNode schema) {
        ObjectNode args = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode enumValues = property.getValue().path("enum");
            if (enumValues.isArray() && !enumValues.isEmpty()) {
                args.set(property.getKey(), enumValues.get(0));
                continue;
            }
            switch (property.getValue().path("type").asString("string")) {
                case "integer", "number" -> args.put(property.getKey(), 42);
                case "boolean" -> args.put(property.getKey(), true);
                case "array" -> args.putArray(property.getKey());
                case "object" -> args.set(property.getKey(), exampleArguments(property.getValue()));
                default -> args.put(property.getKey(), "Paris");
            }
        }
        return args;
    }

    private static Iterator<StreamChunk> withoutReasoning(Iterator<StreamChunk> pieces) {
        return new Iterator<>() {
            private StreamChunk ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null && pieces.hasNext()) {
                    StreamChunk next = pieces.next();
                    if (!(next instanceof ReasoningChunk)) {
                        ahead = next;
                    }
                }
                return ahead != null;
            }

            @Override
            public StreamChunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                StreamChunk next = ahead;
                ahead = null;
                return next;
            }
        };
    }

    private static Iterator<StreamChunk> concat(Iterator<StreamChunk> a, Iterator<StreamChunk> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public StreamChunk next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    /** Seeded words, capitalised sentences, a full stop every few words. */
    private static final class Lorem implements Iterator<StreamChunk> {
        private final SplittableRandom random;
        private final int length;
        private final boolean reasoning;
        private int emitted;
        private boolean sentenceStart = true;

        Lorem(int length, long seed, boolean reasoning) {
            this.random = new SplittableRandom(seed);
            this.length = length;
            this.reasoning = reasoning;
        }

        @Override
        public boolean hasNext() {
            return emitted < length;
        }

        @Override
        public StreamChunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String word = WORDS[random.nextInt(WORDS.length)];
            if (sentenceStart) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            boolean last = ++emitted == length;
            sentenceStart = last || random.nextInt(9) == 0;
            String piece = (emitted == 1 ? "" : " ") + word + (sentenceStart ? "." : "");
            return reasoning ? ReasoningChunk.of(piece) : ContentChunk.of(piece);
        }
    }
}
