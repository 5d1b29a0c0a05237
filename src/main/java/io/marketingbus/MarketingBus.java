package io.marketingbus;

import io.marketingbus.config.BusConfiguration;
import io.marketingbus.config.BusLifecycle;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.ops.RouteValidator;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts marketing-bus: Camel Main with the route files under {@code routes/} and the embedded bus. */
public final class MarketingBus {

    private static final Logger LOG = LoggerFactory.getLogger(MarketingBus.class);

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
        if (args.length > 0 && "validate-routes".equals(args[0])) {
            System.exit(RouteValidator.run(args));
        }
        int code;
        try {
            code = create().run(args);
        } catch (Exception e) {
            MissingSettingException missing = find(e, MissingSettingException.class);
            if (missing != null) {
                LOG.error(missing.getMessage());
            } else {
                LOG.error("marketing-bus failed to start", e);
            }
            code = 1;
        }
        // the embedded broker's threads must not keep a failed JVM alive
        System.exit(code);
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
