package io.aistream.provider.replay;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The {@code replay} provider: plays a transcript file (raw response body bytes as a provider sent
 * them) through the real decoder of that provider's protocol, cut into reads of a chosen size at a
 * chosen pace — so UIs, tests and benchmarks see a real provider's stream with no network.
 *
 * <p>The request's model names the transcript, relative to the configured root directory (paths
 * leaving the root are rejected, so a gateway never reads arbitrary files). Provider options:
 * {@code protocol} (required, e.g. {@code anthropic}), {@code chunkBytes} (bytes per read, default
 * 64), {@code intervalMs} (pause between reads, default 0). Transcripts ending in {@code .hex.txt}
 * are hex, one binary frame per line (the fixtures' Bedrock form).
 *
 * <p>Thread-safe; each stream reads its file once at open.
 */
public final class ReplayProvider implements ChatProvider {
    /** The provider name. */
    public static final String NAME = "replay";

    private final Path root;
    private final Function<String, Optional<ProviderProtocol>> protocols;
    private final TimeSource time;

    /**
     * @param root      the directory transcripts are read from
     * @param protocols looks up a protocol by id (e.g. from the provider registry)
     * @param time      the clock that paces reads
     */
    public ReplayProvider(Path root, Function<String, Optional<ProviderProtocol>> protocols, TimeSource time) {
        this.root = root.toAbsolutePath().normalize();
        this.protocols = Objects.requireNonNull(protocols, "protocols");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of();
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        return open(request, AttemptObserver.NONE);
    }

    /** Like {@link #open(ChatRequest)}; {@code observer} hears the event types the decoder skips. */
    @Override
    public ChunkSource open(ChatRequest request, AttemptObserver observer) {
        String model =
                request.model().orElseThrow(() -> invalid("needs a model: the transcript path under the replay root"));
        Map<String, JsonNode> options = request.providerOptions();
        String protocolId = text(options, "protocol").orElseThrow(() -> invalid("needs the option 'protocol'"));
        ProviderProtocol protocol = protocols
                .apply(protocolId)
                .orElseThrow(() -> invalid("option 'protocol' names an unknown protocol '" + protocolId + "'"));
        int chunkBytes = (int) number(options, "chunkBytes", 64, 1, 1 << 20);
        long intervalMs = number(options, "intervalMs", 0, 0, 60_000);
        byte[] body = read(resolve(model));
        return new ReplaySource(
                body,
                protocol.newDecoder(new DecoderContext(protocolId, model, observer)),
                chunkBytes,
                Duration.ofMillis(intervalMs),
                time);
    }

    private Path resolve(String model) {
        Path file = root.resolve(model).normalize();
        if (!file.startsWith(root)) {
            throw invalid("transcript '" + model + "' is outside the replay root");
        }
        if (!Files.isRegularFile(file)) {
            throw invalid("no transcript '" + model + "' under the replay root");
        }
        return file;
    }

    private static byte[] read(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".hex.txt")) {
                StringBuilder hex = new StringBuilder();
                for (String line : Files.readAllLines(file)) {
                    hex.append(line.strip());
                }
                return HexFormat.of().parseHex(hex);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + file.getFileName(), e);
        } catch (IllegalArgumentException e) {
            throw invalid("transcript " + file.getFileName() + " is not valid hex: " + e.getMessage());
        }
    }

    private static Optional<String> text(Map<String, JsonNode> options, String key) {
        JsonNode node = options.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw invalid("option '" + key + "' must be a string");
        }
        return Optional.of(node.asString());
    }

    private static long number(Map<String, JsonNode> options, String key, long fallback, long min, long max) {
        JsonNode node = options.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw invalid("option '" + key + "' must be an integer between " + min + " and " + max);
        }
        return node.asLong();
    }

    private static AIStreamException invalid(String message) {
        return new AIStreamException(ErrorCode.INVALID_REQUEST, "replay " + message);
    }
}
