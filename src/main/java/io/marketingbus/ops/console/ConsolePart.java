package io.marketingbus.ops.console;

/** One part of the operator console: registers its API (under /console/api/&lt;part&gt;/) on the console's router. */
public interface ConsolePart {

    void register(io.vertx.ext.web.Router router, ConsoleAuth auth);
}
