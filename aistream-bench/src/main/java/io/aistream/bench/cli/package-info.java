/**
 * The {@code aistream bench} subcommands (fake upstream, load generator, chart), added to the CLI by
 * {@link io.aistream.bench.cli.BenchSubcommands} when this module is on its class path.
 */
package io.aistream.bench.cli;
