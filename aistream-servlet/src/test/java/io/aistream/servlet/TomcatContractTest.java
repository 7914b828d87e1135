package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;

/** The contract on plain embedded Tomcat 11. */
class TomcatContractTest extends ServletContract {
    @Override
    Container start(GatewayRoutes routes, String mapping) throws Exception {
        return TomcatContainer.start(routes, mapping);
    }
}
