/**
 * The soak scenario ({@code aistream bench soak}, {@code bench/soak.sh}): minutes of mixed traffic
 * against a running gateway, its memory, threads and descriptors sampled from {@code /metrics} and
 * {@code /proc}, charted as SVG, and a verdict that every figure came back to its baseline.
 */
package io.aistream.bench.soak;
