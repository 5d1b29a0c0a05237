package io.marketingbus.platform;

import java.util.List;
import java.util.Map;

import io.marketingbus.delivery.BatchRule;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * One platform the bus talks to, in one place: its settings, its APIs (base URLs, what is required when live, what
 * the sandbox fills in), the beans its route files call, its batch rules and its sandbox. Descriptors are found with
 * {@link java.util.ServiceLoader} (one line in {@code META-INF/services/io.marketingbus.platform.PlatformDescriptor}),
 * so adding a platform edits nothing central. Its connector route file is {@link #routeFile()}. The steps to add one
 * are in {@code docs/adding-a-platform.md}.
 */
public interface PlatformDescriptor {

    /** The platform's name: its settings' prefix, its route file's name, its sandbox's path. */
    String name();

    /** Every setting of the platform, in the order the README lists them. */
    List<Setting> settings();

    /** The platform's HTTP APIs. */
    List<PlatformApi> apis();

    /**
     * Settings the dev profile fills in when unset and prod requires, whatever the APIs' mode: secrets the bus
     * checks on its own ingress (a webhook path secret), which no sandbox replaces.
     */
    default Map<String, String> devDefaults() {
        return Map.of();
    }

    /** Builds and binds the beans the route files call ({@link PlatformSetup#bind}). */
    void bind(PlatformSetup setup);

    /** How the platform's APIs take many events per call, from the beans {@link #bind} made. */
    default List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of();
    }

    /** The dev sandbox emulating the platform's APIs, or none; only asked in dev. */
    default List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        return List.of();
    }

    /** The platform's connector routes. */
    default String routeFile() {
        return "classpath:routes/platforms/" + name() + ".camel.yaml";
    }
}
