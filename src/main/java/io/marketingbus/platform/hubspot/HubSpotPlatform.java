package io.marketingbus.platform.hubspot;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.platform.CrmProviders;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * HubSpot (docs/platforms/hubspot.md): flow 1's contact upserts, flow 2's deal webhooks, poller and enricher, flow 3's
 * customer lookup and update. Connectors: {@code routes/platforms/hubspot.camel.yaml}.
 */
public final class HubSpotPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("hubspot.base-url", "dev: sandbox; prod: `https://api.hubapi.com`", "the CRM API"),
                Setting.secret("hubspot.access-token", "*(none)*", "private-app token, taken as given (when HubSpot is live: this or `hubspot.oauth.refresh-token`)"),
                Setting.of("hubspot.oauth.client-id", "*(none)*", "OAuth app's client id"),
                Setting.secret("hubspot.oauth.client-secret", "*(none)*", "OAuth app's client secret (usually the same value as `hubspot.client-secret`)"),
                Setting.secret("hubspot.oauth.refresh-token", "*(none)*", "OAuth app's refresh token: access tokens (30 min) are refreshed before they expire"),
                Setting.of("hubspot.oauth.token-url", "dev: sandbox; prod: `https://api.hubapi.com/oauth/v3/token`", "HubSpot's v3 token endpoint"),
                Setting.secret("hubspot.client-secret", "dev: `sandbox`", "signs HubSpot's webhooks (required when HubSpot is live)"),
                Setting.of("hubspot.webhook-url", "`http://localhost:<port>/webhooks/hubspot`", "the public URL HubSpot calls, which its signature covers"),
                Setting.of("hubspot.requests-per-second", "`9`", "every HubSpot call of an instance (HubSpot: 100 per 10 s on free/starter private apps)"),
                Setting.of("hubspot.search.requests-per-second", "`4`", "HubSpot allows 5 search requests/s"),
                Setting.of("hubspot.email-status-property", "`mailchimp_status`", "contact property for the Mailchimp status; blank: not written"),
                Setting.of("hubspot.subscriber-lifecycle-stage", "`subscriber`", "given to subscribers; blank leaves HubSpot's value alone"),
                Setting.of("hubspot.subscriber-lead-status", "`NEW`", "given to subscribers; blank leaves HubSpot's value alone"),
                Setting.of("hubspot.deal-properties-watched", "`dealstage,amount,pipeline,deal_currency_code`", "deal changes that re-activate contacts"),
                Setting.of("hubspot.ads-consent-property", "`ads_personalisation_consent`", "contact property with ad-personalisation consent"),
                Setting.of("hubspot.default-currency", "`EUR`", "currency of deals without `deal_currency_code`"),
                Setting.of("hubspot.deals.poll-enabled", "`false`", "search deals instead of (or besides) webhooks"),
                Setting.of("hubspot.deals.poll-cron", "every 5 min", "when the poller runs (Quartz cron)"),
                Setting.of("hubspot.deals.poll-overlap-ms", "1 min", "window overlap for the search index's lag"),
                Setting.of("hubspot.deals.poll-initial-lookback-ms", "1 h", "the first poll's reach"),
                Setting.of("hubspot.customer-id-property", "`hs_object_id`", "contact property matched with the GA4 user id"),
                Setting.of("hubspot.customer-lifecycle-stage", "`customer`", "set on buyers; blank: untouched"));
    }

    @Override
    public List<PlatformApi> apis() {
        // used unless Salesforce alone is every flow's CRM (crm.provider): then prod asks nothing of HubSpot
        return List.of(new PlatformApi("hubspot", "hubspot.base-url", "hubspot", s -> "https://api.hubapi.com",
                List.of("hubspot.access-token|hubspot.oauth.refresh-token", "hubspot.client-secret"),
                PlatformApi.ordered("hubspot.access-token", "sandbox-hubspot", "hubspot.client-secret", "sandbox"),
                CrmProviders::hubspotUsed));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        EventTimeWindow eventTimes = setup.bean(EventTimeWindow.class);
        setup.bind(new HubSpotCrmConnector(io.marketingbus.platform.OAuthTokens.forCredential(setup, "hubspot",
                "hubspot.access-token", "hubspot.base-url", "/oauth/v3/token", "https://api.hubapi.com/oauth/v3/token", "")));
        setup.bind(new HubSpotContactTranslator(settings.get("hubspot.email-status-property", ""),
                settings.get("hubspot.subscriber-lifecycle-stage", ""), settings.get("hubspot.subscriber-lead-status", "")));
        HubSpotDealTranslator deals = setup.bind(new HubSpotDealTranslator(consentProperty(settings),
                settings.get("hubspot.default-currency", "EUR")));
        setup.bind(new HubSpotDealPoller(deals, setup.codec(), settings.require("camel.component.kafka.brokers"),
                settings.get("bus.topics.state", "marketing.state"),
                Duration.ofMillis(settings.getLong("hubspot.deals.poll-overlap-ms", 60_000)),
                Duration.ofMillis(settings.getLong("hubspot.deals.poll-initial-lookback-ms", 3_600_000)),
                eventTimes.maxFuture(), setup.clock()));
        setup.bind(new HubSpotCustomerTranslator(customerIdProperty(settings), settings.get("ga4.user-id-prefix", ""),
                settings.get("hubspot.customer-lifecycle-stage", "customer"), setup.clock()));
        // flow 3's cross-source dedup, kept with the purchase resolver's delivered ids
        setup.bind(new io.marketingbus.delivery.PurchaseLedger(setup.bean(io.marketingbus.delivery.DeliveredEvents.class)));
        // the signature covers the URL HubSpot called: behind a proxy, hubspot.webhook-url must be the public one
        String webhookUrl = setup.defaultSetting("hubspot.webhook-url",
                "http://localhost:" + settings.getInt("camel.server.port", 8080) + "/webhooks/hubspot");
        // without HubSpot (Salesforce alone as the CRM) there is no client secret: every HubSpot webhook is refused
        setup.bind(new HubSpotIngress(new HubSpotSignatureVerifier(settings.get("hubspot.client-secret", ""), setup.clock()),
                new HubSpotWebhookTranslator(setup.csv("hubspot.deal-properties-watched",
                        "dealstage,amount,pipeline,deal_currency_code")),
                setup.codec(), webhookUrl, eventTimes));
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new HubSpotBatchUpsert());
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        // the custom contact properties the bus writes: a real portal must have them, the sandbox knows them
        Set<String> custom = new LinkedHashSet<>(List.of(consentProperty(settings)));
        custom.addAll(HubSpotCustomerTranslator.ORDER_PROPERTIES);
        if (!"hs_object_id".equals(customerIdProperty(settings))) {
            custom.add(customerIdProperty(settings));
        }
        String statusProperty = settings.get("hubspot.email-status-property", "");
        if (!statusProperty.isBlank()) {
            custom.add(statusProperty);
        }
        return List.of(new HubSpotSandbox(io.marketingbus.sandbox.SandboxTokens.of(settings, "hubspot",
                "hubspot.access-token", Duration.ofSeconds(1800), setup.clock()), custom));
    }

    private static String consentProperty(Settings settings) {
        return settings.get("hubspot.ads-consent-property", "ads_personalisation_consent");
    }

    private static String customerIdProperty(Settings settings) {
        return settings.get("hubspot.customer-id-property", "hs_object_id");
    }
}
