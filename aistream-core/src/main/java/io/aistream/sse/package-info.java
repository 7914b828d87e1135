/** A byte-exact Server-Sent Events codec: the WHATWG event stream interpretation, and an encoder. */
package io.aistream.sse;
