/**
 * The CLI's extension point: modules outside the shipped {@code aistream.jar} add subcommands through
 * {@link io.aistream.cli.spi.SubcommandProvider}.
 */
package io.aistream.cli.spi;
