package io.marketingbus.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.marketingbus.delivery.DeadLetters;
import io.marketingbus.delivery.BatchCalls;
import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.delivery.DeliveryBatches;
import io.marketingbus.translate.facebook.FacebookAudienceUsers;
import io.marketingbus.translate.facebook.FacebookConversionEvents;
import io.marketingbus.translate.ga4.Ga4CollectBatch;
import io.marketingbus.translate.googleads.GoogleAdsUserListJobs;
import io.marketingbus.translate.hubspot.HubSpotBatchUpsert;
import io.marketingbus.delivery.DeliveryEnvelope;
import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.delivery.DestinationPacing;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.EventRecords;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.delivery.Ga4Reconciler;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.Ga4Ingress;
import io.marketingbus.ingress.HubSpotDealPoller;
import io.marketingbus.ingress.HubSpotIngress;
import io.marketingbus.ingress.HubSpotSignatureVerifier;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ingress.MailchimpIngress;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.ops.AdminEndpoints;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.ConsumerLagMetrics;
import io.marketingbus.ops.DeadLetterReplay;
import io.marketingbus.ops.DeliveryRecords;
import io.marketingbus.ops.ManagementInfo;
import io.marketingbus.ops.RouteXmlDumper;
import io.marketingbus.sandbox.ActiveCampaignSandbox;
import io.marketingbus.sandbox.FacebookSandbox;
import io.marketingbus.sandbox.Ga4Sandbox;
import io.marketingbus.sandbox.MailchimpSandbox;
import io.marketingbus.sandbox.GoogleAdsSandbox;
import io.marketingbus.sandbox.HubSpotSandbox;
import io.marketingbus.sandbox.SandboxFaults;
import io.marketingbus.sandbox.SandboxHttp;
import io.marketingbus.translate.facebook.FacebookAdsTranslator;
import io.marketingbus.translate.googleads.GoogleAdsTranslator;
import io.marketingbus.translate.ga4.MeasurementProtocolRelay;
import io.marketingbus.translate.hubspot.HubSpotContactTranslator;
import io.marketingbus.translate.hubspot.HubSpotCustomerTranslator;
import io.marketingbus.translate.hubspot.HubSpotDealTranslator;
import io.marketingbus.translate.hubspot.HubSpotWebhookTranslator;
import io.marketingbus.translate.loyalty.LoyaltyTranslator;
import io.marketingbus.translate.loyalty.MailchimpEchoes;
import io.marketingbus.translate.mailchimp.MailchimpWebhookTranslator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/** The beans the route files call, built from the settings once {@link BusLifecycle} has resolved them. */
public final class BusConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        // each delivery's own item and dead-letter routes; refused webhooks counted as failed exchanges (JMX)
        ((org.apache.camel.model.ModelCamelContext) context).addModelLifecycleStrategy(
                new io.marketingbus.delivery.DeliveryRoutes(context));
        context.addRoutePolicyFactory(new io.marketingbus.ingress.RefusalsAsFailures());

        // one Prometheus registry for Camel's own metrics and the bus's, scraped at /observe/metrics
        MeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", meters);
        }
        registry.bind("meterRegistry", meters);
        EventCodec codec = new EventCodec(new EventSchemas());
        registry.bind("eventCodec", codec);
        registry.bind("busRecords", new IngressExchange());
        registry.bind("eventRecords", new EventRecords(codec));

        // where each event went, for operators
        DeliveryRecords records = new DeliveryRecords(settings.require("camel.component.kafka.brokers"),
                settings.get("bus.topics.records", "marketing.delivery-records"),
                settings.getInt("bus.records.max-events", 100_000));
        AdminEndpoints admin = new AdminEndpoints(context, settings.getInt("camel.management.port", 9876),
                settings.get("bus.admin-token", ""), records,
                new DeadLetterReplay(settings.require("camel.component.kafka.brokers")));
        // Hawtio's route diagram and source: Camel's own XML dump fails on concurrent-requests throttles
        context.getCamelContextExtension().addContextPlugin(org.apache.camel.spi.ModelToXMLDumper.class,
                new RouteXmlDumper());
        ManagementInfo info = new ManagementInfo(context, settings.getInt("camel.management.port", 9876),
                settings.get("camel.main.profile", "dev"));
        try {
            context.addService(records, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the delivery records", e);
        }
        // the management server's router exists only once the context has started
        try {
            context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                    started.addService(admin, true, true);
                    started.addService(info, true, true);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the admin endpoints", e);
        }

        // ingress
        registry.bind("ingressResponses", new IngressResponses(meters, records));
        registry.bind("ingressDeadLetter", new IngressDeadLetter());
        // source timestamps outside this window are refused (HubSpot retries for about a day, GA4 backdates 72 h)
        EventTimeWindow eventTimes = new EventTimeWindow(
                Duration.ofMillis(settings.getLong("ingress.event-time.max-age-ms", 259_200_000L)),
                Duration.ofMillis(settings.getLong("ingress.event-time.max-future-ms", 300_000L)), clock);
        MailchimpEchoes echoes = new MailchimpEchoes(
                Duration.ofMillis(settings.getLong("mailchimp.echo-window-ms", 600_000)), clock);
        registry.bind("mailchimpIngress", new MailchimpIngress(
                new SharedSecret(settings.require("mailchimp.webhook-secret")), new MailchimpWebhookTranslator(), codec,
                echoes, eventTimes.withMaxFuture(Duration.ofMillis(settings.getLong("mailchimp.fired-at-max-future-ms",
                        50_400_000L)))));
        MeasurementProtocolRelay relay = new MeasurementProtocolRelay(
                csv(settings.get("ga4.conversion-events", "purchase")), clock);
        registry.bind("ga4Relay", relay);
        registry.bind("ga4Ingress", new Ga4Ingress(new SharedSecret(settings.require("ga4.api-secret")),
                settings.require("ga4.measurement-id"), relay, codec));
        registry.bind("hubspotIngress", new HubSpotIngress(
                new HubSpotSignatureVerifier(settings.require("hubspot.client-secret"), clock),
                new HubSpotWebhookTranslator(csv(settings.get("hubspot.deal-properties-watched",
                        "dealstage,amount,pipeline,deal_currency_code"))),
                codec, settings.require("hubspot.webhook-url"), eventTimes));

        // delivery
        DeliveredEvents delivered = new DeliveredEvents(context, settings.require("camel.component.kafka.brokers"),
                settings.getInt("delivery.idempotency.cache-size", 100_000));
        registry.bind("deliveryRecords", records);
        DestinationBreakers breakers = new DestinationBreakers(settings.getInt("delivery.breaker.minimum-calls", 5),
                (float) settings.getDouble("delivery.breaker.failure-rate-percent", 50),
                Duration.ofMillis(settings.getLong("delivery.breaker.open-ms", 15_000)),
                Duration.ofMillis(settings.getLong("delivery.breaker.max-hold-ms", 1_800_000)), meters);
        registry.bind("destinationBreakers", breakers);
        registry.bind("deliveryEnvelope", new DeliveryEnvelope(codec, delivered));
        ConsumerLagMetrics lag = new ConsumerLagMetrics(settings.require("camel.component.kafka.brokers"), meters,
                settings.getLong("bus.metrics.lag-interval-seconds", 15));
        try {
            context.addService(lag, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the consumer lag metrics", e);
        }
        // every marketing_bus_* family exists from the start, at zero, for each destination and ingress platform
        // the routes define (the routes are loaded by then)
        MeterRegistry registered = meters;
        try {
            context.addStartupListener((started, alreadyStarted) -> {
                BusMeters.Known known = BusMeters.registerKnown(started, registered);
                known.destinations().forEach(breakers::state);
                lag.expect(known.consumerGroups());
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the bus's meters", e);
        }
        registry.bind("ga4Reconciler", new Ga4Reconciler(settings.get("ga4.property-id", ""),
                settings.getInt("ga4.reconcile-days", 2), settings.getInt("ga4.reconcile-min-tokens-per-hour", 1000),
                delivered, "marketing.conversions.hubspot.delivered", meters));
        registry.bind("deadLetters", new DeadLetters(meters, records));
        DestinationPacing pacing = new DestinationPacing();
        registry.bind("platformCalls", new PlatformCalls(codec.mapper(), pacing));
        DeliveryRetryPolicy retryPolicy = new DeliveryRetryPolicy(meters, breakers, pacing,
                Duration.ofMillis(settings.getLong("delivery.retry.initial-delay-ms", 500)),
                Duration.ofMillis(settings.getLong("delivery.retry.max-delay-ms", 30_000)),
                settings.getDouble("delivery.retry.multiplier", 2.0),
                settings.getInt("delivery.retry.max-attempts", 8),
                Duration.ofMillis(settings.getLong("delivery.retry.max-elapsed-ms", 120_000)));
        registry.bind("deliveryRetryPolicy", retryPolicy);
        registry.bind("deliveryFailureRecorder", (Processor) retryPolicy::recordFailure);
        try {
            context.addService(delivered, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the delivered-events writer", e);
        }

        // translators
        String statusProperty = settings.get("hubspot.email-status-property", "");
        String consentProperty = settings.get("hubspot.ads-consent-property", "ads_personalisation_consent");
        registry.bind("hubspotContacts", new HubSpotContactTranslator(statusProperty,
                settings.get("hubspot.subscriber-lifecycle-stage", ""),
                settings.get("hubspot.subscriber-lead-status", "")));
        HubSpotDealTranslator deals = new HubSpotDealTranslator(consentProperty,
                settings.get("hubspot.default-currency", "EUR"));
        registry.bind("hubspotDeals", deals);
        registry.bind("hubspotDealPoller", new HubSpotDealPoller(deals, codec,
                settings.require("camel.component.kafka.brokers"), settings.get("bus.topics.state", "marketing.state"),
                Duration.ofMillis(settings.getLong("hubspot.deals.poll-overlap-ms", 60_000)),
                Duration.ofMillis(settings.getLong("hubspot.deals.poll-initial-lookback-ms", 3_600_000)),
                Duration.ofMillis(settings.getLong("ingress.event-time.max-future-ms", 300_000L)), clock));
        String facebookVersion = settings.get("facebook.api-version", "v25.0");
        registry.bind("facebookAds", new FacebookAdsTranslator(facebookVersion, settings.require("facebook.pixel-id"),
                settings.get("facebook.test-event-code", ""), clock));
        registry.bind("hubspotCustomers", new HubSpotCustomerTranslator(
                settings.get("hubspot.customer-id-property", "hs_object_id"), settings.get("ga4.user-id-prefix", ""),
                settings.get("hubspot.customer-lifecycle-stage", "customer"), clock));
        registry.bind("loyalty", new LoyaltyTranslator(settings.get("mailchimp.list-id", ""),
                settings.get("mailchimp.status-if-new", "transactional"),
                LoyaltyTranslator.byTier(t -> settings.get("loyalty.mailchimp.tags." + t, "")),
                LoyaltyTranslator.byTier(t -> settings.get("loyalty.activecampaign.automations." + t, "")), echoes));
        String googleVersion = settings.get("google-ads.api-version", "v24");
        GoogleAdsTranslator googleAds = new GoogleAdsTranslator(googleVersion, settings.require("google-ads.customer-id"));
        registry.bind("googleAds", googleAds);

        // batched delivery: how each platform takes many events per call
        BatchCalls batchCalls = new BatchCalls(context, List.of(new HubSpotBatchUpsert(), new FacebookAudienceUsers(),
                new FacebookConversionEvents(), new Ga4CollectBatch(), new GoogleAdsUserListJobs(googleAds)),
                retryPolicy, breakers, settings.getInt("delivery.batch.call-threads", 16), meters);
        registry.bind("deliveryBatches", new DeliveryBatches(context, batchCalls, delivered, records, meters));

        if (BusLifecycle.sandboxEnabled(settings)) {
            Set<String> custom = new LinkedHashSet<>(List.of(consentProperty));
            custom.addAll(HubSpotCustomerTranslator.ORDER_PROPERTIES);
            String customerIdProperty = settings.get("hubspot.customer-id-property", "hs_object_id");
            if (!"hs_object_id".equals(customerIdProperty)) {
                custom.add(customerIdProperty);
            }
            if (!statusProperty.isBlank()) {
                custom.add(statusProperty);
            }
            registry.bind("sandbox", new SandboxHttp(List.of(
                    new HubSpotSandbox(settings.require("hubspot.access-token"), custom),
                    new FacebookSandbox(settings.require("facebook.access-token"), facebookVersion,
                            Set.copyOf(List.of(settings.require("facebook.audience-id"),
                                    settings.get("facebook.high-value-audience-id", settings.require("facebook.audience-id")))),
                            settings.require("facebook.pixel-id"), clock),
                    new GoogleAdsSandbox(settings.require("google-ads.access-token"),
                            settings.require("google-ads.developer-token"), googleVersion,
                            settings.require("google-ads.customer-id").replace("-", ""),
                            Set.copyOf(List.of(settings.require("google-ads.user-list-id"),
                                    settings.get("google-ads.high-value-user-list-id", settings.require("google-ads.user-list-id"))))),
                    new Ga4Sandbox(settings.require("ga4.measurement-id"), settings.require("ga4.api-secret"),
                            settings.get("ga4.property-id", "123456789"), settings.get("ga4.access-token", "sandbox-ga4")),
                    new MailchimpSandbox(settings.get("mailchimp.api-key", "sandbox-us1"),
                            settings.get("mailchimp.list-id", "a6b5da1054")),
                    new ActiveCampaignSandbox(settings.get("activecampaign.api-token", "sandbox-activecampaign"), clock)),
                    new SandboxFaults()));
        }
    }

    private static Set<String> csv(String value) {
        Set<String> set = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(set::add);
        return set;
    }
}
