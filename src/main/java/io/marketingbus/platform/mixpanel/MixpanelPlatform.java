package io.marketingbus.platform.mixpanel;

import java.util.List;
import java.util.Locale;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Mixpanel (docs/platforms/mixpanel.md): relayed analytics hits, purchases and contact profiles, each delivery opted
 * into with its {@code mixpanel.*.enabled} switch. Connector: {@code routes/platforms/mixpanel.camel.yaml}; flow:
 * {@code routes/flows/mixpanel.camel.yaml}.
 */
public final class MixpanelPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "mixpanel";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("mixpanel.base-url", "dev: sandbox; prod: by `mixpanel.region`", "the Ingestion API; set it to override the region's host"),
                Setting.of("mixpanel.region", "`us`", "data residency of the project: `us` (`api.mixpanel.com`), `eu` (`api-eu.mixpanel.com`) or `in` (`api-in.mixpanel.com`)"),
                Setting.of("mixpanel.project-id", "*(none)*", "project id, sent as `project_id` with the service account (required when used)"),
                Setting.of("mixpanel.service-account.username", "*(none)*", "Owner or Admin service account of the project, for `/import` (required when used)"),
                Setting.secret("mixpanel.service-account.secret", "*(none)*", "its secret (required when used)"),
                Setting.of("mixpanel.project-token", "*(none)*", "project token, the `$token` of `/engage` profile updates (required when used)"),
                Setting.of("mixpanel.requests-per-second", "`20`", "calls per second of an instance"),
                Setting.of("mixpanel.analytics.enabled", "`false`", "send the GA4 relay's and the tracking API's hits to Mixpanel as events, and tracked identities as profiles and ID merges"),
                Setting.of("mixpanel.id-merge", "`simplified`", "the project's identity merge API, for tracked aliases: `simplified` (an `$identify` event with `$device_id` and `$user_id`) or `original` (`$merge`)"),
                Setting.of("mixpanel.conversions.enabled", "`false`", "send purchases to Mixpanel as `Purchase` events"),
                Setting.of("mixpanel.profiles.enabled", "`false`", "send contact changes to Mixpanel as profile `$set` updates"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("mixpanel", "mixpanel.base-url", "mixpanel", MixpanelPlatform::regionUrl,
                List.of("mixpanel.project-id", "mixpanel.service-account.username", "mixpanel.service-account.secret",
                        "mixpanel.project-token"),
                PlatformApi.ordered("mixpanel.project-id", "1000001",
                        "mixpanel.service-account.username", "sandbox-mixpanel.sa",
                        "mixpanel.service-account.secret", "sandbox-mixpanel-secret",
                        "mixpanel.project-token", "sandbox-mixpanel-token"),
                s -> s.getBoolean("mixpanel.analytics.enabled", false) || s.getBoolean("mixpanel.conversions.enabled", false)
                        || s.getBoolean("mixpanel.profiles.enabled", false)));
    }

    /** The residency's host (docs/platforms/mixpanel.md §1); an unknown region is a URL that names the setting. */
    static String regionUrl(Settings settings) {
        return switch (settings.get("mixpanel.region", "us").trim().toLowerCase(Locale.ROOT)) {
            case "us" -> "https://api.mixpanel.com";
            case "eu" -> "https://api-eu.mixpanel.com";
            case "in" -> "https://api-in.mixpanel.com";
            default -> "https://set-mixpanel.region-to-us-eu-or-in.invalid";
        };
    }

    /** True for the Original ID Merge; a value other than {@code simplified} or {@code original} stops the start. */
    static boolean idMerge(Settings settings) {
        String value = settings.get("mixpanel.id-merge", "simplified").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "simplified" -> false;
            case "original" -> true;
            default -> throw new IllegalArgumentException("mixpanel.id-merge must be simplified or original, not " + value);
        };
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        setup.bind(new MixpanelTranslator(settings.get("mixpanel.project-id", ""), settings.get("mixpanel.project-token", ""),
                settings.get("ga4.user-id-prefix", "hs-contact-"), setup.csv("ga4.conversion-events", "purchase"),
                idMerge(settings)));
        setup.bind(new MixpanelConnector(settings.get("mixpanel.service-account.username", ""),
                settings.get("mixpanel.service-account.secret", "")));
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new MixpanelBatches());
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        return List.of(new MixpanelSandbox(settings.get("mixpanel.service-account.username", "sandbox-mixpanel.sa"),
                settings.get("mixpanel.service-account.secret", "sandbox-mixpanel-secret"),
                settings.get("mixpanel.project-id", "1000001"), settings.get("mixpanel.project-token", "sandbox-mixpanel-token"),
                setup.clock()));
    }
}
