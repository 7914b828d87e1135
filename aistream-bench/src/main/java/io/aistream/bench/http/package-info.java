/** Minimal HTTP/1.1 framing shared by the fake upstream and the load generator (not exported). */
package io.aistream.bench.http;
