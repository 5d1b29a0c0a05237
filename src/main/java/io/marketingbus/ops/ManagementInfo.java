package io.marketingbus.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * {@code GET /observe/info} on the management port: what runs (bus, Camel, Java, OS versions, profile, status,
 * uptime, routes). Camel's own info page (off: {@code camel.management.info-enabled=false}) also tells anyone who
 * asks the OS user, the working and home directories and the process id; this one does not.
 */
public final class ManagementInfo extends ServiceSupport {

    private final ObjectMapper mapper = new ObjectMapper();
    private final CamelContext context;
    private final int managementPort;
    private final String profile;

    public ManagementInfo(CamelContext context, int managementPort, String profile) {
        this.context = context;
        this.managementPort = managementPort;
        this.profile = profile;
    }

    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = ManagementRouter.lookup(context, managementPort, "/observe/info");
        router.get("/observe/info").handler(this::info);
    }

    private void info(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(describe().toString());
    }

    ObjectNode describe() {
        ObjectNode info = mapper.createObjectNode();
        String version = ManagementInfo.class.getPackage().getImplementationVersion();
        info.putObject("bus").put("version", version == null ? "development build" : version).put("profile", profile);
        info.putObject("os").put("name", System.getProperty("os.name")).put("version", System.getProperty("os.version"))
                .put("arch", System.getProperty("os.arch"));
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        info.putObject("java").put("vendor", runtime.getVmVendor()).put("name", runtime.getVmName())
                .put("vmVersion", runtime.getVmVersion()).put("version", System.getProperty("java.version"));
        ObjectNode camel = info.putObject("camel");
        camel.put("name", context.getName()).put("version", context.getVersion())
                .put("status", context.getStatus().name()).put("uptime", context.getUptime().toString())
                .put("routes", context.getRoutesSize());
        return info;
    }
}
