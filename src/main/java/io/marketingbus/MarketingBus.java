package io.marketingbus;

import io.marketingbus.config.BusConfiguration;
import io.marketingbus.config.BusLifecycle;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.ops.DeadLetterReplay;
import io.marketingbus.ops.RouteValidator;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts marketing-bus: Camel Main with the route files under {@code routes/} and the embedded bus. */
public final class MarketingBus {


    /**
     * Settings are read from {@code ./application.properties} first, then from the defaults in the jar; environment
     * variables and {@code -D} properties override both.
     */
    static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private MarketingBus() {
    }

    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(BusConfiguration.class);
        main.addMainListener(new BusLifecycle());
        return main;
    }

    public static void main(String[] args) throws Exception {
        chooseLogFormat();
        Logger log = LoggerFactory.getLogger(MarketingBus.class);
        if (args.length > 0 && "validate-routes".equals(args[0])) {
            System.exit(RouteValidator.run(args));
        }
        if (args.length > 0 && "replay".equals(args[0])) {
            System.exit(DeadLetterReplay.run(args));
        }
        int code;
        try {
            code = create().run(args);
        } catch (Exception e) {
            IllegalStateException refused = find(e, MissingSettingException.class);
            if (refused == null) {
                refused = find(e, InsecureSettingException.class);
            }
            if (refused != null) {
                log.error(refused.getMessage());
            } else {
                log.error("marketing-bus failed to start", e);
            }
            code = 1;
        }
        // the embedded broker's threads must not keep a failed JVM alive
        System.exit(code);
    }

    /**
     * {@code BUS_LOG_FORMAT=json} (or {@code -Dbus.log-format=json}): one JSON object per log line, with the MDC
     * (event id, destination, Camel route id). Read before the first logger exists, so not from the properties file.
     */
    private static void chooseLogFormat() {
        String format = System.getProperty("bus.log-format", System.getenv().getOrDefault("BUS_LOG_FORMAT", "text"));
        if ("json".equalsIgnoreCase(format) && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-json.xml");
        }
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
