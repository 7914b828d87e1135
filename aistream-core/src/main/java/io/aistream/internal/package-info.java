/** Implementation details; not exported, no compatibility promise. */
package io.aistream.internal;
