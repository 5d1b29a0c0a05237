package io.marketingbus.platform.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.marketingbus.config.Settings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** crm.provider and crm.<flow>.provider become the deliveries' switches and flow 3's resolver. */
class CrmChoiceTest {

    static Map<String, String> overrides(String... settings) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        for (int i = 0; i < settings.length; i += 2) {
            properties.put(settings[i], settings[i + 1]);
        }
        context.getPropertiesComponent().setInitialProperties(properties);
        Map<String, String> out = new LinkedHashMap<>();
        new CrmChoice(new Settings(context)).apply(out::put);
        return out;
    }

    @Test
    void hubspotByDefaultLeavesHubSpotAloneAndSalesforceUnused() {
        Map<String, String> out = overrides();
        assertThat(out).containsEntry("salesforce.subscriptions.enabled", "false").containsEntry("salesforce.used", "false")
                .containsEntry("crm.conversions.resolver", "direct:conversion-resolve")
                .containsEntry("crm.conversions.adjuster", "direct:conversion-adjust")
                .containsEntry("crm.conversions.resolver-enabled", "true").doesNotContainKey("hubspot.subscriptions.enabled");
    }

    @Test
    void salesforceTurnsHubSpotsDeliveriesOffAndResolvesInSalesforce() {
        Map<String, String> out = overrides("crm.provider", "Salesforce", "hubspot.subscriptions.enabled", "true");
        assertThat(out).containsEntry("hubspot.subscriptions.enabled", "false").containsEntry("hubspot.opportunities.enabled", "false")
                .containsEntry("hubspot.conversions.enabled", "false").containsEntry("salesforce.opportunities.enabled", "true")
                .containsEntry("crm.conversions.resolver", "direct:conversion-resolve-salesforce")
                .containsEntry("crm.conversions.adjuster", "direct:conversion-adjust-salesforce")
                .containsEntry("crm.conversions.resolver-enabled", "true").containsEntry("salesforce.used", "true");
    }

    @Test
    void bothKeepsHubSpotResolvingAndAFlowMayChooseOnItsOwn() {
        Map<String, String> both = overrides("crm.provider", "both", "salesforce.opportunities.enabled", "false");
        assertThat(both).containsEntry("salesforce.subscriptions.enabled", "true").containsEntry("salesforce.opportunities.enabled", "false")
                .containsEntry("crm.conversions.resolver", "direct:conversion-resolve")
                .containsEntry("crm.conversions.adjuster", "direct:conversion-adjust").doesNotContainKey("hubspot.conversions.enabled");

        Map<String, String> perFlow = overrides("crm.provider", "hubspot", "crm.opportunities.provider", "salesforce");
        assertThat(perFlow).containsEntry("hubspot.opportunities.enabled", "false").containsEntry("salesforce.opportunities.enabled", "true")
                .containsEntry("salesforce.subscriptions.enabled", "false").containsEntry("salesforce.used", "true")
                .doesNotContainKey("hubspot.subscriptions.enabled");
    }

    @Test
    void anUnknownProviderStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> overrides("crm.provider", "pipedrive")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crm.subscriptions.provider (or crm.provider)").hasMessageContaining("pipedrive");
    }
}
