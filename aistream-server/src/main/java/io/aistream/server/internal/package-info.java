/** The gateway's implementation; not exported. */
package io.aistream.server.internal;
