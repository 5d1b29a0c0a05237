package io.marketingbus.platform.salesforce;

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;

/**
 * Salesforce as the CRM (docs/platforms/salesforce.md), through camel-salesforce: flow 1's Lead or Contact upserts,
 * flow 2's opportunity poller, flow 3's customer lookup and update. Which CRM each flow uses is
 * {@code crm.provider} ({@code hubspot}, {@code salesforce} or {@code both}), or {@code crm.<flow>.provider} for one
 * flow: this descriptor turns the choice into the deliveries' switches ({@link CrmChoice}). Connector:
 * {@code routes/platforms/salesforce.camel.yaml}; flows: {@code routes/flows/salesforce.camel.yaml},
 * {@code routes/ingress/salesforce-opportunities-poll.camel.yaml}.
 */
public final class SalesforcePlatform implements PlatformDescriptor {

    static final String DEFAULT_FIELDS = "order_count=Order_Count__c,order_total=Order_Total__c,"
            + "last_order_value=Last_Order_Value__c,last_order_currency=Last_Order_Currency__c,"
            + "last_order_date=Last_Order_Date__c,status=Customer_Status__c";

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("crm.provider", "`hubspot`", "the CRM of every flow: `hubspot`, `salesforce` or `both`"),
                Setting.of("crm.subscriptions.provider", "`crm.provider`", "flow 1's CRM(s), when it differs"),
                Setting.of("crm.opportunities.provider", "`crm.provider`", "flow 2's CRM(s) (`both`: HubSpot deals and Salesforce opportunities)"),
                Setting.of("crm.conversions.provider", "`crm.provider`", "flow 3's CRM(s); with `both` HubSpot resolves the customer and both are updated"),
                Setting.of("salesforce.base-url", "dev: sandbox; prod: `https://login.salesforce.com`", "the login URL (`https://test.salesforce.com` for a sandbox org, or the My Domain URL); the instance URL comes with the token"),
                Setting.of("salesforce.api-version", "`62.0`", "REST API version camel-salesforce calls (`/services/data/v62.0`)"),
                Setting.of("salesforce.oauth.client-id", "*(none)*", "connected app's consumer key (required when Salesforce is used)"),
                Setting.secret("salesforce.oauth.client-secret", "*(none)*", "connected app's consumer secret (refresh-token flow)"),
                Setting.secret("salesforce.oauth.refresh-token", "*(none)*", "refresh token of the integration user (this or the JWT keystore)"),
                Setting.of("salesforce.oauth.username", "*(none)*", "integration user, the JWT bearer flow's subject"),
                Setting.of("salesforce.oauth.jwt-keystore", "*(none)*", "PKCS12 keystore with the key whose certificate the connected app holds (JWT bearer flow)"),
                Setting.secret("salesforce.oauth.jwt-keystore-password", "*(none)*", "the keystore's password"),
                Setting.of("salesforce.requests-per-second", "`20`", "every Salesforce call of an instance"),
                Setting.of("salesforce.subscriptions.enabled", "`true`", "flow 1 into Salesforce, when `crm.subscriptions.provider` takes it"),
                Setting.of("salesforce.contacts.object", "`Lead`", "`Lead` or `Contact`: what a subscriber becomes"),
                Setting.of("salesforce.contacts.external-id-field", "`Marketing_Email__c`", "external-id field (Email type, unique) holding the e-mail: the upsert key"),
                Setting.of("salesforce.contacts.status-field", "`Mailchimp_Status__c`", "field for the Mailchimp status; blank: not written"),
                Setting.of("salesforce.contacts.lead-company", "`[not provided]`", "a new Lead's Company, which Salesforce requires"),
                Setting.of("salesforce.contacts.lead-source", "`Mailchimp`", "LeadSource written with each upsert; blank: not written"),
                Setting.of("salesforce.opportunities.enabled", "`true`", "flow 2 from Salesforce (the poller), when `crm.opportunities.provider` takes it"),
                Setting.of("salesforce.opportunities.poll-cron", "every 5 min", "when the opportunity poller runs (Quartz cron)"),
                Setting.of("salesforce.opportunities.poll-overlap-ms", "1 min", "window overlap (transactions committing late)"),
                Setting.of("salesforce.opportunities.poll-initial-lookback-ms", "1 h", "the first poll's reach"),
                Setting.of("salesforce.opportunities.currency-field", "*(blank)*", "`CurrencyIsoCode` in multi-currency orgs"),
                Setting.of("salesforce.opportunities.pipeline-field", "*(blank)*", "Opportunity field standing for the pipeline in `opportunity.pipelines` (e.g. `RecordTypeId`)"),
                Setting.of("salesforce.ads-consent-field", "`Ads_Personalisation_Consent__c`", "Contact checkbox with ad-personalisation consent"),
                Setting.of("salesforce.default-currency", "`EUR`", "currency of amounts without a currency field"),
                Setting.of("salesforce.conversions.enabled", "`true`", "flow 3 into Salesforce, when `crm.conversions.provider` takes it"),
                Setting.of("salesforce.customer-id-field", "`Id`", "Contact field matched with the GA4 user id"),
                Setting.of("salesforce.customer.fields", "order facts → `Order_Count__c`, `Order_Total__c`, `Last_Order_Value__c`, `Last_Order_Currency__c`, `Last_Order_Date__c`, `Customer_Status__c`", "`fact=Field` pairs written on the buyer's Contact (facts: order_count, order_total, last_order_value, last_order_currency, last_order_date, status)"),
                Setting.of("salesforce.customer.status-value", "`Customer`", "the status fact's value for a buyer"),
                Setting.of("salesforce.sandbox.api-allocation", "`100000`", "dev sandbox: API requests the org allows per window (then `REQUEST_LIMIT_EXCEEDED`)"),
                Setting.of("salesforce.sandbox.api-window-ms", "24 h", "dev sandbox: the allocation's rolling window"),
                Setting.of("salesforce.sandbox.query-page-size", "`2000`", "dev sandbox: records per query page before `nextRecordsUrl`"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("salesforce", "salesforce.base-url", "salesforce", s -> "https://login.salesforce.com",
                List.of("salesforce.oauth.client-id", "salesforce.oauth.refresh-token|salesforce.oauth.jwt-keystore"),
                PlatformApi.ordered("salesforce.oauth.client-id", "sandbox-salesforce-client",
                        "salesforce.oauth.client-secret", "sandbox-salesforce-secret",
                        "salesforce.oauth.refresh-token", "sandbox-salesforce-refresh"),
                s -> new CrmChoice(s).salesforceUsed()));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        CrmChoice crm = new CrmChoice(settings);
        crm.apply(setup.context().getPropertiesComponent()::addOverrideProperty);
        if (crm.salesforceUsed()) {
            setup.context().addComponent("salesforce", component(settings));
        }
        setup.bind(new SalesforceCalls(setup.meters()));
        SalesforceContactTranslator contacts = setup.bind(new SalesforceContactTranslator(
                settings.get("salesforce.contacts.object", "Lead"), externalIdField(settings),
                settings.get("salesforce.contacts.status-field", "Mailchimp_Status__c"),
                settings.get("salesforce.contacts.lead-company", "[not provided]"),
                settings.get("salesforce.contacts.lead-source", "Mailchimp")));
        SalesforceOpportunityTranslator opportunities = setup.bind(new SalesforceOpportunityTranslator(
                consentField(settings), settings.get("salesforce.opportunities.currency-field", ""),
                settings.get("salesforce.opportunities.pipeline-field", ""), settings.get("salesforce.default-currency", "EUR")));
        setup.bind(new SalesforceOpportunityPoller(opportunities, setup.codec(), settings.require("camel.component.kafka.brokers"),
                settings.get("bus.topics.state", "marketing.state"),
                Duration.ofMillis(settings.getLong("salesforce.opportunities.poll-overlap-ms", 60_000)),
                Duration.ofMillis(settings.getLong("salesforce.opportunities.poll-initial-lookback-ms", 3_600_000)),
                setup.clock()));
        setup.bind(customers(settings, contacts, setup));
    }

    private static SalesforceCustomerTranslator customers(Settings settings, SalesforceContactTranslator contacts,
                                                          PlatformSetup setup) {
        return new SalesforceCustomerTranslator(contacts, externalIdField(settings),
                settings.get("salesforce.customer-id-field", "Id"), settings.get("ga4.user-id-prefix", ""),
                SalesforceCustomerTranslator.mapping(settings.get("salesforce.customer.fields", DEFAULT_FIELDS)),
                settings.get("salesforce.customer.status-value", "Customer"), setup.clock());
    }

    /** camel-salesforce, logged in with the refresh-token or the JWT bearer flow, at the configured API version. */
    static SalesforceComponent component(Settings settings) {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(settings.require("salesforce.base-url"));
        component.setClientId(settings.require("salesforce.oauth.client-id"));
        String keystore = settings.get("salesforce.oauth.jwt-keystore", "");
        if (!keystore.isBlank()) {
            KeyStoreParameters parameters = new KeyStoreParameters();
            parameters.setResource("file:" + keystore);
            parameters.setPassword(settings.get("salesforce.oauth.jwt-keystore-password", ""));
            parameters.setType("PKCS12");
            component.setKeystore(parameters);
            component.setUserName(settings.require("salesforce.oauth.username"));
            component.setAuthenticationType(AuthenticationType.JWT);
        } else {
            component.setClientSecret(settings.get("salesforce.oauth.client-secret", ""));
            component.setRefreshToken(settings.require("salesforce.oauth.refresh-token"));
            component.setAuthenticationType(AuthenticationType.REFRESH_TOKEN);
        }
        // log in on the first call, not at start: a Salesforce outage never stops the bus from starting
        component.setLazyLogin(true);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.get("salesforce.api-version", "62.0"));
        component.setConfig(config);
        return component;
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new SalesforceCollectionsUpsert());
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        Set<String> contact = new LinkedHashSet<>(List.of("Email", "FirstName", "LastName", "Phone", "HasOptedOutOfEmail",
                "LeadSource", "AccountId", "MailingCountry", "MailingPostalCode", externalIdField(settings), consentField(settings)));
        String status = settings.get("salesforce.contacts.status-field", "Mailchimp_Status__c");
        if (!status.isBlank()) {
            contact.add(status);
        }
        contact.addAll(SalesforceCustomerTranslator.mapping(settings.get("salesforce.customer.fields", DEFAULT_FIELDS)).values());
        Set<String> lead = new LinkedHashSet<>(List.of("Email", "FirstName", "LastName", "Phone", "HasOptedOutOfEmail",
                "LeadSource", "Company", "Status", externalIdField(settings)));
        if (!status.isBlank()) {
            lead.add(status);
        }
        Set<String> opportunity = new LinkedHashSet<>(List.of("Name", "StageName", "Amount", "CloseDate", "AccountId",
                "CurrencyIsoCode", "RecordTypeId", "Type"));
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        fields.put("Contact", contact);
        fields.put("Lead", lead);
        fields.put("Account", Set.of("Name"));
        fields.put("Opportunity", opportunity);
        fields.put("OpportunityContactRole", Set.of("OpportunityId", "ContactId", "Role", "IsPrimary"));
        Map<String, Set<String>> externalIds = Map.of("Contact", Set.of(externalIdField(settings)),
                "Lead", Set.of(externalIdField(settings)));
        SalesforceSandbox sandbox = new SalesforceSandbox(new SalesforceSandbox.Credentials(
                settings.get("salesforce.oauth.client-id", ""), settings.get("salesforce.oauth.client-secret", ""),
                settings.get("salesforce.oauth.refresh-token", ""), settings.get("salesforce.oauth.username", ""),
                jwtKey(settings)), fields, externalIds,
                Duration.ofMillis(settings.getLong("sandbox.oauth.token-lifetime-ms", Duration.ofHours(2).toMillis())),
                settings.getInt("salesforce.sandbox.api-allocation", 100_000),
                Duration.ofMillis(settings.getLong("salesforce.sandbox.api-window-ms", Duration.ofHours(24).toMillis())),
                settings.getInt("salesforce.sandbox.query-page-size", 2000), setup.clock());
        sandbox.baseUrl(settings.get("salesforce.base-url", ""));
        return List.of(sandbox);
    }

    /** The certificate's key from the JWT keystore, for the sandbox to check assertions; null without one. */
    private static PublicKey jwtKey(Settings settings) {
        String keystore = settings.get("salesforce.oauth.jwt-keystore", "");
        if (keystore.isBlank()) {
            return null;
        }
        try (InputStream in = new FileInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, settings.get("salesforce.oauth.jwt-keystore-password", "").toCharArray());
            return store.getCertificate(store.aliases().nextElement()).getPublicKey();
        } catch (Exception e) {
            throw new IllegalStateException("salesforce.oauth.jwt-keystore cannot be read: " + e.getMessage(), e);
        }
    }

    static String externalIdField(Settings settings) {
        return settings.get("salesforce.contacts.external-id-field", "Marketing_Email__c");
    }

    static String consentField(Settings settings) {
        return settings.get("salesforce.ads-consent-field", "Ads_Personalisation_Consent__c");
    }
}
