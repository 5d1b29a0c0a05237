package io.marketingbus.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A SaaS API the bus calls. When its base-URL setting is unset the dev profile serves it from the built-in sandbox
 * (filling {@link #sandboxValues} for settings left unset) and prod uses the vendor's URL; {@link #requiredKeys}
 * must be set whenever the platform is live. A platform the configuration does not use (say ActiveCampaign while
 * the loyalty provider is Mailchimp) is neither checked nor shown.
 *
 * @param sandboxName the {@code /sandbox/<name>} emulation serving it (two APIs of one vendor can share one)
 */
public record Platform(String name, String baseUrlKey, String sandboxName, Function<Settings, String> vendorBaseUrl,
                       List<String> requiredKeys, Map<String, String> sandboxValues, Predicate<Settings> used) {

    public String sandboxPath() {
        return "/sandbox/" + sandboxName;
    }

    static Platform of(String name, String vendorBaseUrl, List<String> requiredKeys, Map<String, String> sandboxValues) {
        return new Platform(name, name + ".base-url", name, s -> vendorBaseUrl, requiredKeys, sandboxValues, s -> true);
    }

    private static boolean loyalty(Settings settings, String provider) {
        return provider.equals(settings.get("loyalty.provider", "mailchimp"));
    }

    /** Mailchimp's API host carries the data centre, the suffix of the API key ({@code …-us21}). */
    static String mailchimpUrl(Settings settings) {
        String key = settings.get("mailchimp.api-key", "");
        int dash = key.lastIndexOf('-');
        return dash < 0 ? "https://mailchimp-api-key-without-data-centre.invalid/3.0"
                : "https://" + key.substring(dash + 1) + ".api.mailchimp.com/3.0";
    }

    /** Every API the bus calls today; later flows add theirs here. */
    public static final List<Platform> ALL = List.of(
            of("hubspot", "https://api.hubapi.com",
                    List.of("hubspot.access-token", "hubspot.client-secret"),
                    ordered("hubspot.access-token", "sandbox-hubspot", "hubspot.client-secret", "sandbox")),
            of("facebook", "https://graph.facebook.com",
                    List.of("facebook.access-token", "facebook.audience-id", "facebook.pixel-id"),
                    ordered("facebook.access-token", "sandbox-facebook", "facebook.audience-id", "23851234567890123",
                            "facebook.pixel-id", "1234567890")),
            of("google-ads", "https://googleads.googleapis.com",
                    List.of("google-ads.access-token", "google-ads.developer-token", "google-ads.customer-id",
                            "google-ads.user-list-id"),
                    ordered("google-ads.access-token", "sandbox-google-ads", "google-ads.developer-token",
                            "sandbox-developer-token", "google-ads.customer-id", "1234567890",
                            "google-ads.user-list-id", "987654321")),
            of("ga4", "https://www.google-analytics.com",
                    List.of("ga4.measurement-id", "ga4.api-secret"),
                    ordered("ga4.measurement-id", "G-SANDBOX", "ga4.api-secret", "sandbox")),
            new Platform("ga4-data", "ga4.data-api-url", "ga4", s -> "https://analyticsdata.googleapis.com",
                    List.of("ga4.property-id", "ga4.access-token"),
                    ordered("ga4.property-id", "123456789", "ga4.access-token", "sandbox-ga4"),
                    s -> s.getBoolean("ga4.reconcile-enabled", true)),
            new Platform("mailchimp", "mailchimp.base-url", "mailchimp", Platform::mailchimpUrl,
                    List.of("mailchimp.api-key", "mailchimp.list-id"),
                    ordered("mailchimp.api-key", "sandbox-us1", "mailchimp.list-id", "a6b5da1054"),
                    s -> loyalty(s, "mailchimp")),
            new Platform("activecampaign", "activecampaign.base-url", "activecampaign",
                    s -> "https://set-activecampaign.base-url-from-settings-developer.invalid/api/3",
                    List.of("activecampaign.base-url", "activecampaign.api-token",
                            "loyalty.activecampaign.automations.first", "loyalty.activecampaign.automations.repeat",
                            "loyalty.activecampaign.automations.vip"),
                    ordered("activecampaign.api-token", "sandbox-activecampaign",
                            "loyalty.activecampaign.automations.first", "1", "loyalty.activecampaign.automations.repeat",
                            "2", "loyalty.activecampaign.automations.vip", "3"),
                    s -> loyalty(s, "activecampaign")));

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
