package io.marketingbus.platform.ga4;

import java.util.List;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.platform.googleads.GoogleAdsPlatform;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Google Analytics 4 (docs/platforms/ga4.md): flow 3's Measurement Protocol relay (in and out) and the Data API
 * reconciliation. Connectors: {@code routes/platforms/ga4.camel.yaml}.
 */
public final class Ga4Platform implements PlatformDescriptor {

    private static final String SANDBOX_MEASUREMENT_ID = "G-SANDBOX";

    @Override
    public String name() {
        return "ga4";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("ga4.base-url", "dev: sandbox; prod: `https://www.google-analytics.com`", "where relayed hits go"),
                Setting.of("ga4.measurement-id", "dev: `G-SANDBOX`", "the stream"),
                Setting.secret("ga4.api-secret", "dev: `sandbox`", "the Measurement Protocol API secret, which relay clients must send too"),
                Setting.of("ga4.conversion-events", "`purchase`", "event names that are purchases"),
                Setting.of("ga4.user-id-prefix", "`hs-contact-`", "stripped from `user_id` to find the contact by `hubspot.customer-id-property`"),
                Setting.of("ga4.data-api-url", "dev: sandbox; prod: `https://analyticsdata.googleapis.com`", "the Data API, for reconciliation"),
                Setting.of("ga4.property-id", "dev: sandbox value", "the property (required when reconciling against the live Data API)"),
                Setting.secret("ga4.access-token", "dev: sandbox value", "OAuth token with `analytics.readonly`, taken as given, never refreshed (when reconciling live: this or `ga4.oauth.refresh-token` or a service-account key file)"),
                Setting.of("ga4.oauth.client-id", "*(none)*", "OAuth client of the Data API's refresh token"),
                Setting.secret("ga4.oauth.client-secret", "*(none)*", "its secret"),
                Setting.secret("ga4.oauth.refresh-token", "*(none)*", "refresh token with `analytics.readonly`: access tokens are refreshed before they expire"),
                Setting.of("ga4.oauth.service-account-key-file", "*(none)*", "or a service account's JSON key file (JWT bearer grant; add its e-mail to the property)"),
                Setting.of("ga4.oauth.token-url", "dev: sandbox; prod: `https://oauth2.googleapis.com/token`", "Google's token endpoint"),
                Setting.of("ga4.reconcile-enabled", "`true`", "compare GA4's purchases with what the bus delivered"),
                Setting.of("ga4.reconcile-cron", "hourly", "when (Quartz cron)"),
                Setting.of("ga4.reconcile-days", "`2`", "how many days back"),
                Setting.of("ga4.reconcile-min-tokens-per-hour", "`1000`", "paging stops before the property's hourly quota runs this low"),
                Setting.of("tracking.ga4.measurement-id", "*(none)*; dev on the sandbox: its stream", "the GA4 stream the tracking API's hits go to (none: they are skipped for GA4)"),
                Setting.secret("tracking.ga4.api-secret", "*(none)*", "its Measurement Protocol API secret"),
                Setting.secret("tracking.ga4.streams", "*(none)*", "per tracking source, another stream: `<source>=<measurement id>:<api secret>,...`"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(
                PlatformApi.of("ga4", "https://www.google-analytics.com", List.of("ga4.measurement-id", "ga4.api-secret"),
                        PlatformApi.ordered("ga4.measurement-id", SANDBOX_MEASUREMENT_ID, "ga4.api-secret", "sandbox")),
                new PlatformApi("ga4-data", "ga4.data-api-url", "ga4", s -> "https://analyticsdata.googleapis.com",
                        List.of("ga4.property-id", "ga4.access-token|ga4.oauth.refresh-token|ga4.oauth.service-account-key-file"),
                        PlatformApi.ordered("ga4.property-id", "123456789", "ga4.access-token", "sandbox-ga4"),
                        s -> s.getBoolean("ga4.reconcile-enabled", true)));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        MeasurementProtocolRelay relay = setup.bind(new MeasurementProtocolRelay(
                setup.csv("ga4.conversion-events", "purchase"), setup.clock()));
        setup.bind(new Ga4Ingress(new SharedSecret(settings.require("ga4.api-secret")),
                settings.require("ga4.measurement-id"), relay, setup.codec()));
        setup.bind(new Ga4Reconciler(settings.get("ga4.property-id", ""), settings.getInt("ga4.reconcile-days", 2),
                settings.getInt("ga4.reconcile-min-tokens-per-hour", 1000),
                Ga4Reconciler.deliveredOrder(setup.bean(DeliveredEvents.class), "marketing.conversions.hubspot.delivered",
                        "marketing.purchases.resolver.delivered"), setup.meters()));
        String trackedId = settings.get("tracking.ga4.measurement-id", "");
        String trackedSecret = settings.get("tracking.ga4.api-secret", "");
        if (trackedId.isBlank() && trackedSecret.isBlank() && setup.sandboxed()
                && SANDBOX_MEASUREMENT_ID.equals(settings.get("ga4.measurement-id", ""))) {
            // dev on the sandbox: the tracking API's hits reach the sandbox's stream, as the README's curls show
            trackedId = settings.require("ga4.measurement-id");
            trackedSecret = settings.require("ga4.api-secret");
        }
        Ga4TrackedStreams tracked = Ga4TrackedStreams.of(trackedId, trackedSecret, settings.get("tracking.ga4.streams", ""));
        setup.bind(new Ga4Forwarding(relay, tracked));
        setup.bind(new Ga4CollectConnector(settings.require("ga4.measurement-id"), settings.require("ga4.api-secret"),
                tracked.secretsByMeasurementId()));
        setup.bind(new Ga4DataConnector(io.marketingbus.platform.OAuthTokens.forCredential(setup, "ga4",
                "ga4.access-token", "ga4.data-api-url", "/token", GoogleAdsPlatform.GOOGLE_TOKEN_URL,
                "https://www.googleapis.com/auth/analytics.readonly")));
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new Ga4CollectBatch());
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        return List.of(new Ga4Sandbox(settings.require("ga4.measurement-id"), settings.require("ga4.api-secret"),
                settings.get("ga4.property-id", "123456789"), io.marketingbus.sandbox.SandboxTokens.of(settings, "ga4",
                        "ga4.access-token", java.time.Duration.ofSeconds(3599), setup.clock())));
    }
}
