package io.marketingbus.ops.console;

import io.vertx.ext.web.Router;

/**
 * One part of the operator console (overview, live, dead letters, KPIs). {@link ConsoleServer} calls {@link #register}
 * for every bean of this type in the Camel registry, after its own routes. A part's JSON API lives under
 * {@code /console/api/<part>/...} and answers 401 unless {@link ConsoleAuth#authorised} says yes.
 */
public interface ConsolePart {

    void register(Router router, ConsoleAuth auth);
}
