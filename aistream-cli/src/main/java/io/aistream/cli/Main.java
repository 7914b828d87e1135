package io.aistream.cli;

import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code aistream} command.
 *
 * <p>{@link #run(String[], Terminal)} is the testable core: it takes the process's streams as
 * arguments and returns the exit code instead of exiting.
 */
@Command(
        name = "aistream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "One streaming layer for every AI provider.",
        subcommands = {
            ServeCommand.class,
            ChatCommand.class,
            NormalizeCommand.class,
            RequestCommand.class,
            SseCommand.class,
            BenchCommand.class
        })
public final class Main implements Runnable {

    /** Exit code for bad input or usage (a message on stderr says what is wrong). */
    public static final int EXIT_BAD_INPUT = 2;

    /** java.net.http's per-connection read buffer; 16 KiB by default, far more than stream events need. */
    static final String HTTP_CLIENT_BUFFER = "jdk.httpclient.bufsize";

    public static void main(String[] args) {
        // A gateway holds one upstream connection per open stream: keep their buffers small unless the
        // user chose otherwise. Must be set before java.net.http is first used.
        if (System.getProperty(HTTP_CLIENT_BUFFER) == null) {
            System.setProperty(HTTP_CLIENT_BUFFER, "4096");
        }
        System.exit(run(args, new Terminal(System.in, System.out, System.err)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, Terminal terminal) {
        CommandLine cli = new CommandLine(new Main(), new TerminalFactory(terminal));
        cli.setOut(new java.io.PrintWriter(terminal.out(), true));
        cli.setErr(new java.io.PrintWriter(terminal.err(), true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            terminal.err().println("aistream: " + messageOf(ex));
            return 1;
        });
        return cli.execute(args);
    }

    private static String messageOf(Exception ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "a command is required, e.g. 'serve' or 'sse decode'");
    }

    /** The process streams a command reads and writes. */
    public record Terminal(InputStream in, PrintStream out, PrintStream err) {}

    /** Gives commands that want them the terminal's streams. */
    private static final class TerminalFactory implements CommandLine.IFactory {
        private final Terminal terminal;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        TerminalFactory(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (TerminalAware.class.isAssignableFrom(cls)) {
                K command = fallback.create(cls);
                ((TerminalAware) command).terminal(terminal);
                return command;
            }
            return fallback.create(cls);
        }
    }

    /** Implemented by commands that read stdin or write stdout/stderr. */
    interface TerminalAware {
        void terminal(Terminal terminal);
    }
}
