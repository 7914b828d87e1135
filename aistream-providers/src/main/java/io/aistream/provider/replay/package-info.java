/**
 * The {@code replay} provider: plays a recorded provider transcript through that provider's real
 * decoder, at a chosen pace. See {@link io.aistream.provider.replay.ReplayProvider}. Not a wire protocol
 * but a reader of all of them, so it has no {@link io.aistream.provider.spi.ProviderDescriptor}: the
 * registry adds it when the config file names a replay root, and hands it the catalog's protocols.
 */
package io.aistream.provider.replay;
