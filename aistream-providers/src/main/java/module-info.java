/** Provider adapters for aistream. Only API packages are exported. */
module io.aistream.providers {
    requires transitive io.aistream.core;
    requires transitive java.net.http;

    exports io.aistream.provider;
}
