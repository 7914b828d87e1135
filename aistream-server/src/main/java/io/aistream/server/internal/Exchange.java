package io.aistream.server.internal;

import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One request on its way through an {@link Endpoint}.
 *
 * @param request    the Jetty request
 * @param response   the Jetty response
 * @param principal  the authenticated caller ({@code key:…}, or {@code anonymous} without keys)
 * @param pathParams values of the route's {@code {name}} segments
 */
record Exchange(Request request, Response response, String principal, Map<String, String> pathParams) {
    String pathParam(String name) {
        return pathParams.get(name);
    }
}
