package io.aistream.server.http;

import java.util.List;

/**
 * What every protocol package exposes: its routes, each with its access rule and error shape. A
 * binding mounts them all through one {@link Dispatcher}.
 */
@FunctionalInterface
public interface Routes {
    List<Route> routes();
}
