package io.marketingbus.config;

import java.util.List;

/**
 * A SaaS platform the bus calls. When {@code <name>.base-url} is unset the dev profile serves it from the built-in
 * sandbox and prod uses {@link #vendorBaseUrl}; {@link #credentialKeys} must be set whenever the platform is live.
 */
public record Platform(String name, String vendorBaseUrl, List<String> credentialKeys) {

    public String baseUrlKey() {
        return name + ".base-url";
    }

    public String sandboxPath() {
        return "/sandbox/" + name;
    }

    /** Every platform the bus delivers to today; later flows add theirs here. */
    public static final List<Platform> ALL = List.of(
            new Platform("hubspot", "https://api.hubapi.com", List.of("hubspot.access-token")));
}
