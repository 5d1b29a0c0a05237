package io.marketingbus.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptors;
import io.marketingbus.platform.Setting;

/**
 * What prod refuses at start-up among the settings that are given: a secret the dev profile or the sandbox fills
 * in ({@code sandbox}, {@code sandbox-admin}, {@code sandbox-hubspot}, ...), a secret too short to be one, and any
 * setting left at the value the sandbox gives it ({@code G-SANDBOX}, the sandbox's audience and account ids).
 * Real vendor credentials are long (HubSpot private-app tokens ~44 characters, client secrets 36, GA4 API secrets
 * 22, Google Ads developer tokens 22, Mailchimp keys 36+, ActiveCampaign 72, OAuth tokens 100+), so a floor of
 * {@link #MINIMUM_LENGTH} refuses only values nobody issued; the bus's own secrets (webhook path, admin token) are
 * chosen by the operator and must reach it too.
 */
public final class ProdSecrets {

    static final int MINIMUM_LENGTH = 16;

    /**
     * Every secret setting: the bus's own admin token, and each platform's secrets as its descriptor declares them
     * (shared secrets the bus checks, credentials it presents to vendors).
     */
    static final List<String> SECRETS = secrets();

    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of("bus.admin-token"));
        PlatformDescriptors.settings().stream().filter(Setting::secret).map(Setting::key).forEach(secrets::add);
        return List.copyOf(secrets);
    }

    private ProdSecrets() {
    }

    /** The values dev fills in, per setting: the sandbox's for each platform, and the bus's own dev secrets. */
    static Map<String, String> devValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (PlatformApi api : PlatformDescriptors.apis()) {
            values.putAll(api.sandboxValues());
        }
        PlatformDescriptors.all().forEach(platform -> values.putAll(platform.devDefaults()));
        values.put("bus.admin-token", BusLifecycle.DEV_ADMIN_TOKEN);
        return values;
    }

    /**
     * @param setting a setting's value, empty when unset
     * @return one line per refused setting, naming it and why, never its value
     */
    public static List<String> problems(Function<String, Optional<String>> setting) {
        Map<String, String> dev = devValues();
        Set<String> devSecrets = new LinkedHashSet<>();
        SECRETS.stream().map(dev::get).filter(v -> v != null).forEach(v -> devSecrets.add(v.toLowerCase(Locale.ROOT)));
        List<String> problems = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(SECRETS);
        keys.addAll(dev.keySet());
        for (String key : keys) {
            Optional<String> value = setting.apply(key).map(String::trim).filter(v -> !v.isEmpty());
            if (value.isEmpty()) {
                continue;
            }
            String v = value.get();
            String lower = v.toLowerCase(Locale.ROOT);
            boolean secret = SECRETS.contains(key);
            if (v.equals(dev.get(key)) && !ordinal(v)
                    || secret && (devSecrets.contains(lower) || lower.contains("sandbox"))) {
                problems.add(key + " (environment variable " + MissingSettingException.envName(key)
                        + "): a dev/sandbox value");
            } else if (secret && v.length() < MINIMUM_LENGTH) {
                problems.add(key + " (environment variable " + MissingSettingException.envName(key)
                        + "): shorter than " + MINIMUM_LENGTH + " characters, too short to be secret");
            }
        }
        return problems;
    }

    /** The sandbox's ActiveCampaign automation ids (1, 2, 3) are ids real accounts have too. */
    private static boolean ordinal(String value) {
        return value.length() <= 3 && value.chars().allMatch(Character::isDigit);
    }
}
