package io.marketingbus.ops.console;

import java.nio.file.Path;
import java.util.Map;

import io.marketingbus.ops.ManagementRouter;
import io.marketingbus.support.RunningBus;

/** Until the console server exists: a bus whose console parts are registered on its management router. */
final class ConsoleParts {

    private ConsoleParts() {
    }

    static RunningBus start(Path dataDir, Map<String, String> settings) throws Exception {
        RunningBus bus = RunningBus.start(dataDir, settings);
        int port = URI(bus.managementUrl(""));
        var router = ManagementRouter.lookup(bus.context(), port, "console test");
        for (ConsolePart part : bus.context().getRegistry().findByType(ConsolePart.class)) {
            part.register(router, new ConsoleAuth(settings.get("bus.admin-token")));
        }
        return bus;
    }

    private static int URI(String url) {
        return java.net.URI.create(url).getPort();
    }
}
