package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;

/** The contract on plain embedded Tomcat 11. */
class TomcatContractTest extends ServletContract {
    @Override
    Container start(GatewayRoutes routes, String mapping) throws Exception {
        return TomcatContainer.start(routes, mapping);
    }

    /** Tomcat reads an async request's connection only while the application reads: an idle close shows at the next write. */
    @Override
    boolean seesAnIdleClose() {
        return false;
    }
}
