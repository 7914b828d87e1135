package io.aistream.bench.cli;

import io.aistream.cli.spi.SubcommandProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the {@code aistream bench} subcommands share: the terminal picocli hands them (through the
 * injected spec, so tests capture it) and how they report a failure: one line on stderr prefixed
 * with the command's name, and an exit code. One instance runs once, on the calling thread.
 */
abstract class BenchCommand implements Callable<Integer> {
    private final String prefix;

    @Spec
    CommandSpec spec;

    /** @param name the subcommand's name after {@code aistream bench}, for the error lines */
    BenchCommand(String name) {
        this.prefix = "aistream bench " + name + ": ";
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code problem} after the command's name on stderr; returns {@code exitCode}. */
    final int fail(int exitCode, String problem) {
        err().println(prefix + problem);
        return exitCode;
    }

    /** {@link #fail} with {@link SubcommandProvider#EXIT_BAD_INPUT}: the arguments or input are wrong. */
    final int badInput(String problem) {
        return fail(SubcommandProvider.EXIT_BAD_INPUT, problem);
    }
}
