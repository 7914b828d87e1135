/**
 * The {@code replay} provider: plays a recorded provider transcript through that provider's real
 * decoder, at a chosen pace. See {@link io.aistream.provider.replay.ReplayProvider}.
 */
package io.aistream.provider.replay;
