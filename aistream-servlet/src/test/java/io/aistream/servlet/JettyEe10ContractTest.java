package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;

/** The contract on Jetty 12's Servlet container (ee10). */
class JettyEe10ContractTest extends ServletContract {
    @Override
    Container start(GatewayRoutes routes, String mapping) throws Exception {
        return JettyEe10Container.start(routes, mapping);
    }
}
