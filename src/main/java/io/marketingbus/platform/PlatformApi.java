package io.marketingbus.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.marketingbus.config.Settings;

/**
 * One HTTP API of a platform (a platform may have several: GA4's Measurement Protocol and its Data API). When its
 * base-URL setting is unset the dev profile serves it from the built-in sandbox (filling {@link #sandboxValues} for
 * settings left unset) and prod uses the vendor's URL; {@link #requiredKeys} must be set whenever the API is live (an
 * entry {@code a|b} is satisfied by either, e.g. a static token or the refresh token that gets one). A platform the configuration does not use (say ActiveCampaign while
 * the loyalty provider is Mailchimp) is neither checked nor shown.
 *
 * @param sandboxName the {@code /sandbox/<name>} emulation serving it (two APIs of one vendor can share one)
 */
public record PlatformApi(String name, String baseUrlKey, String sandboxName, Function<Settings, String> vendorBaseUrl,
                          List<String> requiredKeys, Map<String, String> sandboxValues, Predicate<Settings> used) {

    public String sandboxPath() {
        return "/sandbox/" + sandboxName;
    }

    /** An API at {@code <name>.base-url}, served by the sandbox {@code /sandbox/<name>}, always used. */
    public static PlatformApi of(String name, String vendorBaseUrl, List<String> requiredKeys,
                                 Map<String, String> sandboxValues) {
        return new PlatformApi(name, name + ".base-url", name, s -> vendorBaseUrl, requiredKeys, sandboxValues, s -> true);
    }

    /** Keys and values in the order given (the banner and error messages keep it). */
    public static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
