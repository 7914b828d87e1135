package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The gateway as a servlet, for plain containers: mount it at {@code /*} or at {@code /ai/*} (the
 * servlet's mapping then is the base path). It must be registered with async support
 * ({@code asyncSupported}); every request it gets goes to a {@link ServletGateway} — requests that no
 * route serves get the gateway's 404 in its JSON shape. The caller owns {@code routes} (and closes
 * them after the container stopped).
 */
public class AistreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The routes; transient: a container that serializes servlets gets a fresh one from its owner. */
    private final transient GatewayRoutes routes;

    private transient volatile ServletGateway gateway;

    /** A servlet serving {@code routes}. */
    public AistreamServlet(GatewayRoutes routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** Reads the mapping: {@code /ai/*} gives the base path {@code /ai}, {@code /*} none. */
    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        String base = "";
        for (String mapping : config.getServletContext()
                .getServletRegistration(config.getServletName())
                .getMappings()) {
            if (mapping.endsWith("/*") && mapping.length() > 2) {
                base = mapping.substring(0, mapping.length() - 2);
                break;
            }
        }
        gateway = new ServletGateway(routes, base);
    }

    /** The gateway behind this servlet (after {@link #init}). */
    public ServletGateway gateway() {
        return gateway;
    }

    /** Every method goes to the gateway: it answers 405 and preflights itself. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletGateway g = gateway;
        if (g == null) {
            throw new IllegalStateException("the servlet was not initialised");
        }
        g.service(request, response);
    }
}
