package io.marketingbus.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SaaS platform the bus calls. When {@code <name>.base-url} is unset the dev profile serves it from the built-in
 * sandbox, filling {@link #sandboxValues} for the settings left unset, and prod uses {@link #vendorBaseUrl};
 * {@link #requiredKeys} must be set whenever the platform is live.
 */
public record Platform(String name, String vendorBaseUrl, List<String> requiredKeys, Map<String, String> sandboxValues) {

    public String baseUrlKey() {
        return name + ".base-url";
    }

    public String sandboxPath() {
        return "/sandbox/" + name;
    }

    /** Every platform the bus calls today; later flows add theirs here. */
    public static final List<Platform> ALL = List.of(
            new Platform("hubspot", "https://api.hubapi.com",
                    List.of("hubspot.access-token", "hubspot.client-secret"),
                    ordered("hubspot.access-token", "sandbox-hubspot", "hubspot.client-secret", "sandbox")),
            new Platform("facebook", "https://graph.facebook.com",
                    List.of("facebook.access-token", "facebook.audience-id", "facebook.pixel-id"),
                    ordered("facebook.access-token", "sandbox-facebook", "facebook.audience-id", "23851234567890123",
                            "facebook.pixel-id", "1234567890")),
            new Platform("google-ads", "https://googleads.googleapis.com",
                    List.of("google-ads.access-token", "google-ads.developer-token", "google-ads.customer-id",
                            "google-ads.user-list-id"),
                    ordered("google-ads.access-token", "sandbox-google-ads", "google-ads.developer-token",
                            "sandbox-developer-token", "google-ads.customer-id", "1234567890",
                            "google-ads.user-list-id", "987654321")));

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
