package io.aistream.cli;

import io.aistream.cli.spi.SubcommandProvider;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aistream bench}: the fake upstream, the streaming load generator and its chart. They live in the
 * aistream-bench module, which is not in {@code aistream.jar} (it brings JMH); its
 * {@link SubcommandProvider} adds them here when it is on the class path, as the {@code aistream}
 * launcher arranges. Without it every {@code bench} command line fails with one line saying how to
 * build it.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Streaming benchmarks: a fake upstream, a load generator and a latency chart.",
        modelTransformer = BenchCommand.AddProvidedSubcommands.class)
final class BenchCommand implements Callable<Integer>, Main.TerminalAware {
    static final String NOT_BUILT = "aistream bench: the bench module is not on the class path; build it with"
            + " 'mvn -pl aistream-bench -am package' and run bench commands through ./aistream, which adds it";

    @CommandLine.Spec
    CommandSpec spec;

    /** Without the bench module there are no subcommands: take whatever follows, to answer NOT_BUILT. */
    @CommandLine.Unmatched
    List<String> unmatched;

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() {
        if (spec.subcommands().isEmpty()) {
            terminal.err().println(NOT_BUILT);
            return 1;
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "choose 'bench upstream', 'bench run' or 'bench chart'"
                        + (unmatched == null || unmatched.isEmpty()
                                ? ""
                                : ", not '" + String.join(" ", unmatched) + "'"));
    }

    /** Adds the subcommands of every {@link SubcommandProvider} whose parent is {@code bench}. */
    static final class AddProvidedSubcommands implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec bench) {
            try {
                for (SubcommandProvider provider : ServiceLoader.load(SubcommandProvider.class)) {
                    if (bench.name().equals(provider.parent())) {
                        for (Object command : provider.subcommands()) {
                            CommandLine sub = new CommandLine(command);
                            bench.addSubcommand(sub.getCommandName(), sub);
                        }
                    }
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // A stale or partial bench jar: behave as if it were absent, and say why in the usage.
                bench.usageMessage().footer("The bench module on the class path is unusable: " + e);
            }
            if (bench.subcommands().isEmpty()) {
                bench.usageMessage()
                        .description(
                                "Streaming benchmarks: a fake upstream, a load generator and a latency chart.",
                                "Not available: the aistream-bench module is not on the class path. Build it with",
                                "'mvn -pl aistream-bench -am package' and run bench commands through ./aistream, which adds it.");
            }
            return bench;
        }
    }
}
