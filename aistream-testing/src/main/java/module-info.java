/**
 * aistream test support, for the tests of every aistream module (use it in test scope): a scriptable
 * fake HTTP upstream, the provider fixture harness, printed seeds and controllable chunk sources.
 *
 * <p>It depends on {@code io.aistream.core} only, so that the providers' own tests can use it.
 */
module io.aistream.testing {
    requires transitive io.aistream.core;
    requires org.assertj.core;

    exports io.aistream.testing;
}
