/**
 * Test support for aistream's modules.
 *
 * <ul>
 *   <li>{@link io.aistream.testing.FakeUpstream}: a scripted HTTP/1.1 server on 127.0.0.1 (plain or TLS)
 *       whose replies are {@link io.aistream.testing.Script}s, and which records every
 *       {@link io.aistream.testing.RecordedRequest request} and every
 *       {@link io.aistream.testing.UpstreamConnection connection}, including when the client closed it.</li>
 *   <li>{@link io.aistream.testing.FixtureHarness}: provider transcripts fed to a decoder in fixed and
 *       seeded random splits, folded results compared with the fixture's expectation.</li>
 *   <li>{@link io.aistream.testing.Seeds}: every random test's seed, fixed by default, overridable with
 *       {@code -Daistream.seed}, printed and named in failures; {@link io.aistream.testing.JsonMutations}
 *       uses it.</li>
 *   <li>{@link io.aistream.testing.ControlledSource}, {@link io.aistream.testing.ControlledSources},
 *       {@link io.aistream.testing.FixedSource} and {@link io.aistream.testing.Chunks}: chunk sources a test
 *       drives or scripts, which record cancel and close as events, and helpers to read streams.</li>
 *   <li>Real processes for the cluster tests: {@link io.aistream.testing.GatewayProcess} (the shipped CLI jar;
 *       killed, paused, restarted on its port), {@link io.aistream.testing.RedisServer} and
 *       {@link io.aistream.testing.NginxProxy} (Debian's binaries on free loopback ports, skipped with
 *       {@code AISTREAM_CLUSTER_TESTS=skip} where they are not installed).</li>
 * </ul>
 *
 * <p>Tests wait on events ({@link java.util.concurrent.CompletableFuture}s completed with the
 * {@link System#nanoTime()} they were seen) with a generous guard timeout, never on wall-clock windows.
 */
package io.aistream.testing;
