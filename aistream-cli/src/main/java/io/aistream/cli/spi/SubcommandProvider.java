package io.aistream.cli.spi;

import java.util.List;

/**
 * Adds subcommands to an extensible command of {@code aistream} (today {@code bench}) from a module
 * that is not part of the shipped CLI jar, so that module and its dependencies (JMH, for the bench
 * module) load only when they are on the class path or module path.
 *
 * <p>The CLI finds implementations with {@link java.util.ServiceLoader} ({@code provides ... with ...}
 * in the module's descriptor, plus a {@code META-INF/services} entry for the class path) every time it
 * builds its command line, on the thread that runs the command. An implementation needs a public
 * no-argument constructor and should do nothing expensive before {@link #subcommands()} is called.
 *
 * <p>Subcommands are picocli command objects ({@code @Command}-annotated, fields bound by picocli).
 * They write to {@code spec.commandLine().getOut()} and {@code getErr()}, which the CLI points at its
 * own streams, and return the CLI's exit codes: 0 done, 1 failed, {@link #EXIT_BAD_INPUT} for bad
 * input or usage (with one line on stderr saying what is wrong).
 */
public interface SubcommandProvider {

    /** Exit code for bad input or usage, the same as every other {@code aistream} command's. */
    int EXIT_BAD_INPUT = 2;

    /** The name of the command these subcommands go under, e.g. {@code "bench"}. */
    String parent();

    /** New subcommand objects, in the order help lists them; a fresh set on every call. */
    List<Object> subcommands();
}
