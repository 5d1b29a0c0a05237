package io.marketingbus.platform;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.event.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * What a {@link PlatformDescriptor} builds its beans from, and where it puts them: every bean is bound under its
 * class's simple name, which is the name route files use ({@code ref: HubSpotContactTranslator}), so a reader of a
 * route file finds the class in one step.
 */
public final class PlatformSetup {

    private final CamelContext context;
    private final Settings settings;
    private final EventCodec codec;
    private final MeterRegistry meters;
    private final Clock clock;
    private final boolean sandboxed;

    public PlatformSetup(CamelContext context, Settings settings, EventCodec codec, MeterRegistry meters, Clock clock,
                         boolean sandboxed) {
        this.context = context;
        this.settings = settings;
        this.codec = codec;
        this.meters = meters;
        this.clock = clock;
        this.sandboxed = sandboxed;
    }

    public Settings settings() {
        return settings;
    }

    public EventCodec codec() {
        return codec;
    }

    public MeterRegistry meters() {
        return meters;
    }

    public Clock clock() {
        return clock;
    }

    public CamelContext context() {
        return context;
    }

    /** True in the dev profile, where platforms without a base URL are served by the built-in sandbox. */
    public boolean sandboxed() {
        return sandboxed;
    }

    /** Binds the bean under its class's simple name and returns it. */
    public <T> T bind(T bean) {
        context.getRegistry().bind(bean.getClass().getSimpleName(), bean);
        return bean;
    }

    /** A bean bound before, by its class (its name is the class's simple name). */
    public <T> T bean(Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(type.getSimpleName(), type);
        if (bean == null) {
            throw new IllegalStateException(type.getSimpleName() + " is not bound (bind it first)");
        }
        return bean;
    }

    /**
     * Gives an unset setting a value computed at start (say a URL from the server's port), visible to route files and
     * to anyone resolving {@code {{key}}} like any other setting; returns the setting's value.
     */
    public String defaultSetting(String key, String value) {
        return settings.find(key).orElseGet(() -> {
            context.getPropertiesComponent().addOverrideProperty(key, value);
            return value;
        });
    }

    /** A comma-separated setting as a set, blanks dropped. */
    public Set<String> csv(String key, String defaultValue) {
        Set<String> set = new LinkedHashSet<>();
        Arrays.stream(settings.get(key, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(set::add);
        return set;
    }
}
