package io.aistream.bench.cli;

import io.aistream.bench.upstream.FakeUpstream;
import io.aistream.bench.upstream.Fault;
import io.aistream.bench.upstream.StreamParams;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aistream bench upstream}: runs the fake OpenAI-compatible streaming upstream. */
@Command(
        name = "upstream",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a fake OpenAI Chat Completions streaming upstream until Ctrl-C: POST /v1/chat/completions with",
            "\"stream\": true answers N chat.completion.chunk events at a set rate, each delta starting with the",
            "send-time stamp |SEQ:NANOS| that 'bench run' measures against. Per request, the top-level field",
            "\"aistream_bench\": {\"chunks\":100,\"rate\":20,\"chunkSize\":4,\"ttftMs\":0,\"fault\":\"cut@50\"} (or a model",
            "suffix m@rate=20,chunks=100) overrides the defaults below. Faults: cut@N, stall@N[:MS], 429[:S], 500, 503.",
            "Also serves POST /v1/stream and GET /v1/ws (native stand-ins), GET /health and GET /stats.",
            "Prints its base URL on the first line."
        })
final class BenchUpstreamCommand extends BenchCommand {
    BenchUpstreamCommand() {
        super("upstream");
    }

    @Option(names = "--port", paramLabel = "P", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port = 8091;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(
            names = "--default-rate",
            paramLabel = "R",
            description = "Chunks per second per stream (default ${DEFAULT-VALUE}; 0 = unpaced).")
    double rate = StreamParams.DEFAULTS.rate();

    @Option(
            names = "--default-chunks",
            paramLabel = "N",
            description = "Content chunks per stream when the request sets none (default ${DEFAULT-VALUE}).")
    int chunks = StreamParams.DEFAULTS.chunks();

    @Option(
            names = "--default-chunk-size",
            paramLabel = "N",
            description = "Text characters per delta after the 28-character stamp (default ${DEFAULT-VALUE}).")
    int chunkSize = StreamParams.DEFAULTS.chunkSize();

    @Option(
            names = "--default-ttft",
            paramLabel = "MS",
            description = "Milliseconds before the first content chunk (default ${DEFAULT-VALUE}).")
    long ttftMs = StreamParams.DEFAULTS.ttftMs();

    @Option(
            names = "--default-fault",
            paramLabel = "FAULT",
            description = "Fault for every stream that sets none (default none).")
    String fault = "none";

    @Option(names = "--backlog", paramLabel = "N", description = "Accept queue length (default ${DEFAULT-VALUE}).")
    int backlog = 8192;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (default: run until Ctrl-C).")
    String runFor;

    @Override
    public Integer call() throws IOException, InterruptedException {
        FakeUpstream.Options options;
        Duration limit;
        try {
            StreamParams defaults = new StreamParams(chunks, rate, chunkSize, ttftMs, Fault.parse(fault));
            options = new FakeUpstream.Options(host, port, defaults, backlog);
            limit = runFor == null ? null : Durations.parse("--for", runFor);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        FakeUpstream upstream;
        try {
            upstream = FakeUpstream.start(options);
        } catch (IOException e) {
            return fail(1, "cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    upstream.close();
                    stopped.countDown();
                },
                "bench-upstream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out().println(upstream.baseUrl());
        out().flush();
        err().println("fake upstream: OpenAI base URL " + upstream.baseUrl() + "/v1, defaults " + options.defaults()
                + "; Ctrl-C stops");
        if (limit == null) {
            stopped.await();
        } else {
            stopped.await(limit.toNanos(), TimeUnit.NANOSECONDS);
            Runtime.getRuntime().removeShutdownHook(hook);
            upstream.close();
        }
        return 0;
    }
}
