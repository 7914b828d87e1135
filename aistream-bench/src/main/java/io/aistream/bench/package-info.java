/** JMH benchmarks of aistream's hot paths. */
package io.aistream.bench;
