/**
 * The gateway's memory budget: one byte account for everything it retains per stream, the admission
 * control built on it, and the hook through which stores give memory back.
 */
package io.aistream.server.memory;
