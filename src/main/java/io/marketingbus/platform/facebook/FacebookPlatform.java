package io.marketingbus.platform.facebook;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Meta (docs/platforms/facebook.md): flow 2's Custom Audience users and Conversions API leads, the stores' products
 * in a catalog and consented purchases as Conversions API events. Connector:
 * {@code routes/platforms/facebook.camel.yaml}.
 */
public final class FacebookPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "facebook";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("facebook.base-url", "dev: sandbox; prod: `https://graph.facebook.com`", "the Graph API"),
                Setting.of("facebook.api-version", "`v25.0`", "Graph API version"),
                Setting.secret("facebook.access-token", "dev: sandbox value", "system-user token with `ads_management` (required when Meta is live)"),
                Setting.of("facebook.audience-id", "dev: sandbox value", "the Custom Audience (required when Meta is live)"),
                Setting.of("facebook.high-value-audience-id", "= `facebook.audience-id`", "the Custom Audience of high-value deals"),
                Setting.of("facebook.pixel-id", "dev: sandbox value", "the Pixel or dataset of the Conversions API (required when Meta is live)"),
                Setting.of("facebook.test-event-code", "*(blank)*", "Events Manager test code, for testing only"),
                Setting.of("facebook.requests-per-second", "`20`", "calls per second of an instance"),
                Setting.of("facebook.catalog-id", "dev: sandbox value", "the product catalog store products go to (required when the catalog is live)"),
                Setting.of("facebook.catalog.enabled", "`false`", "keep the Meta catalog in step with the stores' products"),
                Setting.of("facebook.catalog.max-wait-ms", "`120000`", "how long a catalog batch may take Meta before the call is retried"),
                Setting.of("facebook.purchases.enabled", "`false`", "send consented store purchases to the Conversions API"),
                Setting.of("facebook.purchases.ga4-consented", "`false`", "treat GA4 purchases (no consent stated) as consented"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(PlatformApi.of("facebook", "https://graph.facebook.com",
                List.of("facebook.access-token", "facebook.audience-id", "facebook.pixel-id"),
                PlatformApi.ordered("facebook.access-token", "sandbox-facebook", "facebook.audience-id",
                        "23851234567890123", "facebook.pixel-id", "1234567890", "facebook.catalog-id",
                        "1357924680135792")),
                // the catalog, when enabled, needs its own id; the token and the base URL are the Graph API's. In dev
                // the entry above has already pointed the base URL at the sandbox and filled the catalog id: then this
                // entry is not shown as a live API of its own
                new PlatformApi("facebook-catalog", "facebook.base-url", "facebook", s -> "https://graph.facebook.com",
                        List.of("facebook.access-token", "facebook.catalog-id"),
                        PlatformApi.ordered("facebook.access-token", "sandbox-facebook", "facebook.catalog-id",
                                "1357924680135792"),
                        s -> s.getBoolean("facebook.catalog.enabled", false)
                                && !s.get("facebook.base-url", "").endsWith("/sandbox/facebook")));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        setup.bind(new FacebookAdsTranslator(settings.get("facebook.api-version", "v25.0"),
                settings.require("facebook.pixel-id"), settings.get("facebook.test-event-code", ""), setup.clock()));
        setup.bind(new FacebookGraphConnector(settings.get("facebook.access-token", "")));
        setup.bind(new FacebookCatalogTranslator(settings.get("facebook.api-version", "v25.0"),
                settings.get("facebook.catalog-id", "")));
        setup.bind(new FacebookPurchaseTranslator(settings.get("facebook.api-version", "v25.0"),
                settings.require("facebook.pixel-id"), settings.get("facebook.test-event-code", ""), setup.clock()));
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new FacebookAudienceUsers(), new FacebookConversionEvents(),
                new FacebookCatalogItems(Duration.ofMillis(200),
                        Duration.ofMillis(setup.settings().getLong("facebook.catalog.max-wait-ms", 120_000))));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        String audience = settings.require("facebook.audience-id");
        return List.of(new FacebookSandbox(settings.require("facebook.access-token"),
                settings.get("facebook.api-version", "v25.0"),
                Set.copyOf(List.of(audience, settings.get("facebook.high-value-audience-id", audience))),
                settings.require("facebook.pixel-id"), settings.get("facebook.catalog-id", ""), setup.clock()));
    }
}
