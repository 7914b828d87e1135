package io.aistream.testing.cycles.b;

import io.aistream.testing.cycles.a.First;

/** Test fixture: package b uses package a back. */
public final class Second {
    public First back() {
        return null;
    }
}
