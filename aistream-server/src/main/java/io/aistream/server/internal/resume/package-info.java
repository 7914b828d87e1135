/** The in-memory resume store; not exported. */
package io.aistream.server.internal.resume;
