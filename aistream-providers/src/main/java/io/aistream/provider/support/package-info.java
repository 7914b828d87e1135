/** Helpers shared by the provider packages; not exported, no compatibility promise. */
package io.aistream.provider.support;
