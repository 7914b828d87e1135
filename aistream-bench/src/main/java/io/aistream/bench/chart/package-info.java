/** Charts of load generator results. */
package io.aistream.bench.chart;
