package io.aistream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aistream sse}: tools for people debugging a Server-Sent Events stream. */
@Command(
        name = "sse",
        mixinStandardHelpOptions = true,
        description = "Decode or encode Server-Sent Events.",
        subcommands = {SseDecodeCommand.class, SseEncodeCommand.class})
final class SseCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose 'sse decode' or 'sse encode'");
    }
}
