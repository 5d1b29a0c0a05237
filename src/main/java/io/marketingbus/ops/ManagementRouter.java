package io.marketingbus.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** The management port's Vert.x router, where the admin, info and stream endpoints add their routes. */
public final class ManagementRouter {

    private ManagementRouter() {
    }

    /**
     * @param what who needs it, for the error
     * @throws IllegalStateException when no management server listens on the port (it exists only once the context
     *                               has started, and only with camel.management.enabled=true)
     */
    public static VertxPlatformHttpRouter lookup(CamelContext context, int managementPort, String what) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
        if (router == null) {
            throw new IllegalStateException("no management server on port " + managementPort + ": " + what
                    + " need camel.management.enabled=true");
        }
        return router;
    }
}
