/** A fake OpenAI-compatible streaming upstream that emits paced, timestamped chunks and scripted faults. */
package io.aistream.bench.upstream;
