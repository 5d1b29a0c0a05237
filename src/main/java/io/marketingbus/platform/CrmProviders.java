package io.marketingbus.platform;

import java.util.List;
import java.util.Locale;

import io.marketingbus.config.Settings;

/**
 * Which CRM each flow uses: {@code crm.<flow>.provider}, else {@code crm.provider}, else {@code hubspot}; one of
 * {@code hubspot}, {@code salesforce}, {@code both}. Read by the CRMs' descriptors: a CRM no flow takes is not
 * used, so prod does not ask for its credentials (the switches themselves: {@code platform.salesforce.CrmChoice}).
 */
public final class CrmProviders {

    public static final List<String> FLOWS = List.of("subscriptions", "opportunities", "conversions");
    public static final List<String> PROVIDERS = List.of("hubspot", "salesforce", "both");

    private CrmProviders() {
    }

    /** @throws IllegalArgumentException naming the setting when its value is none of {@link #PROVIDERS} */
    public static String provider(Settings settings, String flow) {
        String provider = settings.get("crm." + flow + ".provider", settings.get("crm.provider", "hubspot"))
                .trim().toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("crm." + flow + ".provider (or crm.provider) must be one of " + PROVIDERS
                    + ", not " + provider);
        }
        return provider;
    }

    public static boolean takesHubSpot(Settings settings, String flow) {
        return !"salesforce".equals(provider(settings, flow));
    }

    /** Some flow takes HubSpot: its credentials are required in prod. */
    public static boolean hubspotUsed(Settings settings) {
        return FLOWS.stream().anyMatch(flow -> takesHubSpot(settings, flow));
    }
}
