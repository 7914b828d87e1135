package io.aistream.cli;

import io.aistream.AIStreamException;
import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.UnknownChunk;
import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.request.ChatRequest;
import io.aistream.request.Reasoning;
import io.aistream.stream.ChatStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;

/**
 * {@code aistream chat}: streams one answer to the terminal as it arrives. Ctrl-C aborts the
 * stream (the upstream request is cancelled) and prints {@code [aborted]}.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Streams one answer to the terminal. Providers come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...)",
            "and --config; 'simulated' always works. Ctrl-C aborts. Exit 0 when the answer completes, 1 on a stream error,",
            "2 on bad input."
        })
final class ChatCommand implements Callable<Integer>, Main.TerminalAware {
    @Option(names = "--provider", paramLabel = "P", description = "Provider, alias or chain (default: simulated).")
    String provider = "simulated";

    @Option(names = "--model", paramLabel = "M", description = "Model (default: the provider's first, e.g. echo).")
    String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Output token limit.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
    Double temperature;

    @Option(
            names = "--reasoning",
            paramLabel = "EFFORT",
            description = "Reasoning effort: minimal, low, medium or high.")
    String reasoning;

    @Option(names = "--json", description = "Print each chunk as a JSON line instead of text.")
    boolean json;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (providers, aliases, chains, retry, ...).")
    Path config;

    @Parameters(paramLabel = "PROMPT", description = "The user message.")
    String prompt;

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() {
        PrintStream out = terminal.out();
        PrintStream err = terminal.err();
        ChatStream stream;
        try {
            ProviderRegistry registry = registry();
            ChatRequest.Builder request = ChatRequest.builder().user(prompt);
            Optional.ofNullable(system).ifPresent(request::system);
            Optional.ofNullable(maxTokens).ifPresent(request::maxOutputTokens);
            Optional.ofNullable(temperature).ifPresent(request::temperature);
            if (reasoning != null) {
                request.reasoning(Reasoning.effort(Reasoning.Effort.valueOf(reasoning.toUpperCase(Locale.ROOT))));
            }
            ProviderRegistry.Resolution resolution =
                    registry.resolve(Optional.of(provider), Optional.ofNullable(model));
            stream = ChatStream.builder(registry.open(resolution, request.build()))
                    .build();
        } catch (AIStreamException | IllegalArgumentException | IOException | JacksonException e) {
            err.println("aistream chat: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        Thread abortOnCtrlC = new Thread(stream::abort, "aistream-chat-abort");
        Runtime.getRuntime().addShutdownHook(abortOnCtrlC);
        try (stream) {
            return print(stream, out, err);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(abortOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }

    private ProviderRegistry registry() throws IOException {
        ProviderRegistry.Builder builder = ProviderRegistry.builder().environment(System.getenv());
        if (config != null) {
            builder.config(Jackson.mapper().readTree(Files.readString(config)), Set.of());
        }
        return builder.build();
    }

    /** Prints the chunks as text (or JSON lines with {@code --json}); the exit code. */
    int print(Iterable<? extends StreamChunk> chunks, PrintStream out, PrintStream err) {
        int exit = 0;
        boolean inReasoning = false;
        for (StreamChunk chunk : chunks) {
            if (json) {
                out.println(ChunkJson.toJson(chunk));
                out.flush();
                if (chunk instanceof ErrorChunk) {
                    exit = 1;
                }
                continue;
            }
            switch (chunk) {
                case ReasoningChunk r -> {
                    err.print(inReasoning ? r.delta() : "[thinking] " + r.delta());
                    inReasoning = true;
                }
                case ContentChunk c -> {
                    if (inReasoning) {
                        err.println();
                        inReasoning = false;
                    }
                    out.print(c.delta());
                    out.flush();
                }
                case ToolCallChunk t ->
                    t.toolCall()
                            .name()
                            .ifPresentOrElse(
                                    name -> out.print("\n[tool call " + name + "] "
                                            + t.toolCall().argumentsDelta()),
                                    () -> out.print(t.toolCall().argumentsDelta()));
                case ErrorChunk e -> {
                    err.println(
                            "\n[error " + e.error().code() + "] " + e.error().message());
                    exit = 1;
                }
                case DoneChunk d -> {
                    out.println();
                    if (d.finishReason() == FinishReason.ABORTED) {
                        err.println("[aborted]");
                    }
                    d.usage()
                            .ifPresent(u -> err.println("[" + d.finishReason().wireName() + ", " + u.inputTokens()
                                    + " in / " + u.outputTokens() + " out tokens]"));
                }
                // a type from a newer gateway: shown as a note (--json prints it whole)
                case UnknownChunk u -> err.println("\n[" + u.wireType() + " chunk, not known to this version]");
            }
        }
        out.flush();
        return exit;
    }
}
