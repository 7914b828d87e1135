package io.aistream.testing.cycles.a;

import io.aistream.testing.cycles.b.Second;

/** Test fixture: package a uses package b, which uses a back. */
public final class First {
    public Second next() {
        return new Second();
    }
}
