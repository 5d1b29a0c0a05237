package io.marketingbus.platform.salesforce;

import java.util.List;
import java.util.function.BiConsumer;

import io.marketingbus.config.Settings;
import io.marketingbus.platform.CrmProviders;

/**
 * Which CRM each flow uses: {@code crm.<flow>.provider}, else {@code crm.provider}, else {@code hubspot}; one of
 * {@code hubspot}, {@code salesforce}, {@code both}. The choice becomes the switches the route files read:
 * {@code hubspot.<flow>.enabled} is turned off for a flow that does not take HubSpot, {@code salesforce.<flow>.enabled}
 * on only for one that takes Salesforce (each still off when set false), and flow 3's resolver
 * ({@code crm.conversions.resolver}, {@code crm.conversions.resolver-enabled}) and its handler of a counted order's
 * changes ({@code crm.conversions.adjuster}) are Salesforce's only when Salesforce
 * alone is the CRM: with {@code both}, HubSpot keeps resolving customers and both CRMs are updated.
 */
final class CrmChoice {

    static final List<String> FLOWS = CrmProviders.FLOWS;
    static final List<String> PROVIDERS = CrmProviders.PROVIDERS;

    private final Settings settings;

    CrmChoice(Settings settings) {
        this.settings = settings;
    }

    String provider(String flow) {
        return CrmProviders.provider(settings, flow);
    }

    boolean takesSalesforce(String flow) {
        return !"hubspot".equals(provider(flow));
    }

    boolean takesHubSpot(String flow) {
        return CrmProviders.takesHubSpot(settings, flow);
    }

    boolean salesforceEnabled(String flow) {
        return takesSalesforce(flow) && settings.getBoolean("salesforce." + flow + ".enabled", true);
    }

    /** Salesforce is called by some flow: its credentials are then required and its connector runs. */
    boolean salesforceUsed() {
        return FLOWS.stream().anyMatch(this::salesforceEnabled);
    }

    /** The settings the route files read, as overrides. */
    void apply(BiConsumer<String, String> override) {
        boolean hubspotResolves = settings.getBoolean("hubspot.conversions.enabled", true);
        for (String flow : FLOWS) {
            override.accept("crm." + flow + ".provider", provider(flow));
            override.accept("salesforce." + flow + ".enabled", String.valueOf(salesforceEnabled(flow)));
            if (!takesHubSpot(flow)) {
                override.accept("hubspot." + flow + ".enabled", "false");
            }
        }
        boolean salesforceResolves = "salesforce".equals(provider("conversions"));
        override.accept("crm.conversions.resolver", salesforceResolves ? "direct:conversion-resolve-salesforce"
                : "direct:conversion-resolve");
        // a counted order's later copy, refund or cancellation is applied where the resolver found the customer
        override.accept("crm.conversions.adjuster", salesforceResolves ? "direct:conversion-adjust-salesforce"
                : "direct:conversion-adjust");
        override.accept("crm.conversions.resolver-enabled", String.valueOf(salesforceResolves
                ? salesforceEnabled("conversions") : hubspotResolves));
        override.accept("salesforce.used", String.valueOf(salesforceUsed()));
    }
}
