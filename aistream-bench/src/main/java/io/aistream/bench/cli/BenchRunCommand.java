package io.aistream.bench.cli;

import io.aistream.bench.load.LoadGenerator;
import io.aistream.bench.load.LoadOptions;
import io.aistream.bench.load.LoadReport;
import io.aistream.bench.load.Protocol;
import io.aistream.bench.upstream.Fault;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aistream bench run}: the streaming load generator. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Opens C concurrent streams through a target (the aistream gateway, any OpenAI-compatible relay pointed",
            "at 'aistream bench upstream', or the fake upstream itself) and reports how late each chunk arrived",
            "against the upstream's send stamp, time to first chunk, chunks/s, errors and truncations, and with",
            "--pid the target's CPU seconds and memory. A table goes to stdout, JSON to --json FILE.",
            "Exit 0 when the run completed (whatever its errors; see --strict), 2 on bad options."
        })
final class BenchRunCommand extends BenchCommand {
    BenchRunCommand() {
        super("run");
    }

    @Option(
            names = "--target",
            paramLabel = "URL",
            required = true,
            description = "Base URL, e.g. http://127.0.0.1:8080 (a trailing /v1 is fine).")
    String target;

    @Option(
            names = "--protocol",
            paramLabel = "P",
            description =
                    "openai (POST /v1/chat/completions), native (POST /v1/stream), ws (GET /v1/ws) or ui (POST /v1/ui/chat, the AI SDK UI message stream); default ${DEFAULT-VALUE}.")
    String protocol = "openai";

    @Option(names = "--streams", paramLabel = "C", description = "Concurrent streams (default ${DEFAULT-VALUE}).")
    int streams = 100;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "Chunks per second per stream asked of the upstream; 0 = unpaced (default ${DEFAULT-VALUE}).")
    double rate = 20;

    @Option(
            names = "--tokens",
            paramLabel = "N",
            description = "Chunks per stream (default: duration × rate with --duration, else 100).")
    Integer tokens;

    @Option(
            names = "--duration",
            paramLabel = "D",
            description = {
                "Run for D, e.g. 30s: with --tokens each slot starts a new stream when one ends",
                "until D has passed; without, each stream lasts D (tokens = D × rate)."
            })
    String duration;

    @Option(
            names = "--chunk-size",
            paramLabel = "N",
            description = "Text characters per delta after the 28-character stamp (default ${DEFAULT-VALUE}).")
    int chunkSize = 4;

    @Option(
            names = "--ttft",
            paramLabel = "MS",
            description = "Upstream delay before the first content chunk, ms (default ${DEFAULT-VALUE}).")
    long ttftMs;

    @Option(
            names = "--slow-reader",
            description = "Read every stream slowly (small reads with pauses) to exercise backpressure.")
    boolean slowReader;

    @Option(
            names = "--read-pause",
            paramLabel = "D",
            description = "Slow reader: pause between reads (default ${DEFAULT-VALUE}).")
    String readPause = "100ms";

    @Option(
            names = "--read-bytes",
            paramLabel = "N",
            description = "Slow reader: bytes per read (default ${DEFAULT-VALUE}).")
    int readBytes = 256;

    @Option(
            names = "--pid",
            paramLabel = "PID",
            description = "The target's process id: report its CPU seconds and memory.")
    Long pid;

    @Option(
            names = "--upstream-pid",
            paramLabel = "PID",
            description = "The fake upstream's process id: report its CPU over the same window (the floor a relay"
                    + " is compared with).")
    Long upstreamPid;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path json;

    @Option(
            names = "--model",
            paramLabel = "M",
            description = "Model field (default ${DEFAULT-VALUE}; through the gateway's OpenAI endpoint use bench/m).")
    String model = "m";

    @Option(
            names = "--provider",
            paramLabel = "P",
            description = "Provider field of native and ws requests (default ${DEFAULT-VALUE}).")
    String provider = "bench";

    @Option(
            names = "--backpressure",
            paramLabel = "B",
            description = "Backpressure field of native and ws requests: block, buffer, drop or coalesce.")
    String backpressure;

    @Option(
            names = "--resumable",
            description = "Native and ws requests ask for resumable streams (kept in the gateway's resume store).")
    boolean resumable;

    @Option(
            names = "--fault",
            paramLabel = "F",
            description = "Upstream fault for some streams: cut@N, stall@N[:MS], 429[:S], 500, 503.")
    String fault;

    @Option(
            names = "--fault-every",
            paramLabel = "K",
            description = "Apply --fault to every K-th stream (default ${DEFAULT-VALUE}: all).")
    int faultEvery = 1;

    @Option(
            names = "--model-params",
            description =
                    "Encode the stream parameters in the model name (m@rate=20,...) instead of a top-level aistream_bench field (openai protocol), for relays that refuse or drop unknown fields.")
    boolean modelParams;

    @Option(
            names = "--ramp",
            paramLabel = "D",
            description = "Spread stream starts over D (default: one chunk interval, 1/rate).")
    String ramp;

    @Option(
            names = "--warmup",
            paramLabel = "D",
            description = "Leave chunks of the first D out of the latency figures (default ${DEFAULT-VALUE}).")
    String warmup = "0s";

    @Option(
            names = "--timeout",
            paramLabel = "D",
            description = "Longest wait for a connect or the next bytes (default ${DEFAULT-VALUE}).")
    String timeout = "30s";

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "Bearer key for the target (default: $AISTREAM_API_KEY).")
    String apiKey;

    @Option(
            names = "--abort-after",
            paramLabel = "N",
            description = "Abort each stream after N chunks (close it; ws: send abort).")
    int abortAfter;

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description = {
                "The fake upstream behind the target: with --abort-after, asked when it saw each stream",
                "aborted (abort latency). Default: the target (right when the target is the fake upstream)."
            })
    String upstream;

    @Option(
            names = "--ws-streams-per-socket",
            paramLabel = "K",
            description = {
                "ws: K stream slots share one WebSocket, their streams",
                "multiplexed by name (slot i uses socket i / K); 1..10000, default ${DEFAULT-VALUE} (a socket per slot). Not with --slow-reader."
            })
    int wsStreamsPerSocket = 1;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description = "Event-loop threads reading openai/native streams (default: half the cores, at least 1).")
    Integer ioThreads;

    @Option(names = "--label", paramLabel = "NAME", description = "Name of this run in the report and chart.")
    String label;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = "--strict", description = "Exit 1 if any stream failed or was truncated.")
    boolean strict;

    @Override
    public Integer call() throws InterruptedException {
        LoadOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        LoadReport report;
        try {
            report = LoadGenerator.run(options, quiet ? line -> {} : line -> err().println(line));
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        out().print(report.toTable());
        out().flush();
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                return fail(1, "cannot write " + json + ": " + e.getMessage());
            }
        }
        if (strict && (report.streams().errors() > 0 || report.streams().truncated() > 0)) {
            return 1;
        }
        return 0;
    }

    LoadOptions options() {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--target is not a URL: " + target);
        }
        URI upstreamUri = null;
        if (upstream != null) {
            try {
                upstreamUri = new URI(upstream);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--upstream is not a URL: " + upstream);
            }
        }
        String key = apiKey != null ? apiKey : System.getenv("AISTREAM_API_KEY");
        return LoadOptions.builder(uri)
                .protocol(Protocol.parse(protocol))
                .streams(streams)
                .rate(rate)
                .tokens(tokens)
                .duration(duration == null ? null : Durations.parse("--duration", duration))
                .chunkSize(chunkSize)
                .ttftMs(ttftMs)
                .slowReader(slowReader)
                .readPause(Durations.parse("--read-pause", readPause))
                .readBytes(readBytes)
                .pid(pid)
                .upstreamPid(upstreamPid)
                .model(model)
                .provider(provider)
                .backpressure(backpressure)
                .resumable(resumable)
                .fault(Fault.parse(fault))
                .faultEvery(faultEvery)
                .modelParams(modelParams)
                .ramp(ramp == null ? null : Durations.parse("--ramp", ramp))
                .warmup(Durations.parse("--warmup", warmup))
                .timeout(Durations.parse("--timeout", timeout))
                .apiKey(key == null || key.isBlank() ? null : key)
                .label(label)
                .abortAfter(abortAfter)
                .upstream(upstreamUri)
                .wsStreamsPerSocket(wsStreamsPerSocket)
                .ioThreads(
                        ioThreads != null
                                ? ioThreads
                                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                .build();
    }
}
