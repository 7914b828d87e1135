package io.aistream.server.aisdk;

/**
 * Chunk fields of the UI message stream beyond what {@code ai@5.0.0} accepts. Off by default:
 * the AI SDK 5.0.x and 6.0.x clients validate every chunk against a strict schema and reject a
 * stream with an unknown field on a known chunk type.
 *
 * @param finishReason     {@code finish} carries {@code finishReason} ({@code stop}, {@code length},
 *                         {@code tool-calls}, {@code content-filter}, {@code error}, {@code other});
 *                         accepted from {@code ai@6.0.0} on, rejected by 5.0.x
 * @param providerMetadata {@code text-end}, {@code reasoning-end} and {@code tool-input-available}
 *                         carry {@code providerMetadata: {"aistream": {"streamId", "provider", "model"}}};
 *                         accepted by 5.0.0 and later (the field is optional there)
 */
record UiStreamOptions(boolean finishReason, boolean providerMetadata) {
    static final UiStreamOptions DEFAULT = new UiStreamOptions(false, false);
}
