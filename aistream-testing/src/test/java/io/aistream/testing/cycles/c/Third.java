package io.aistream.testing.cycles.c;

import io.aistream.testing.cycles.a.First;

/** Test fixture: package c uses a, and nothing uses c. */
public final class Third {
    public First first() {
        return null;
    }
}
