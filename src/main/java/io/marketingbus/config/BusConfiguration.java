package io.marketingbus.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.marketingbus.delivery.DeadLetters;
import io.marketingbus.delivery.DeliveryEnvelope;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ingress.MailchimpIngress;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.sandbox.HubSpotSandbox;
import io.marketingbus.sandbox.SandboxFaults;
import io.marketingbus.sandbox.SandboxHttp;
import io.marketingbus.translate.hubspot.HubSpotContactTranslator;
import io.marketingbus.translate.mailchimp.MailchimpWebhookTranslator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

        MeterRegistry meters = new SimpleMeterRegistry();
        registry.bind("meterRegistry", meters);
        EventCodec codec = new EventCodec(new EventSchemas());
        registry.bind("eventCodec", codec);

        registry.bind("ingressResponses", new IngressResponses(meters));
        registry.bind("ingressDeadLetter", new IngressDeadLetter());
        registry.bind("mailchimpIngress", new MailchimpIngress(
                new SharedSecret(settings.require("mailchimp.webhook-secret")), new MailchimpWebhookTranslator(), codec));

        registry.bind("deliveryEnvelope", new DeliveryEnvelope(codec, meters));
        registry.bind("deadLetters", new DeadLetters(meters));
        registry.bind("platformCalls", new PlatformCalls(codec.mapper()));
        DeliveryRetryPolicy retryPolicy = new DeliveryRetryPolicy(
                Duration.ofMillis(settings.getLong("delivery.retry.initial-delay-ms", 500)),
                Duration.ofMillis(settings.getLong("delivery.retry.max-delay-ms", 30_000)),
                settings.getDouble("delivery.retry.multiplier", 2.0),
                settings.getInt("delivery.retry.max-attempts", 8),
                Duration.ofMillis(settings.getLong("delivery.retry.max-elapsed-ms", 120_000)));
        registry.bind("deliveryRetryPolicy", retryPolicy);
        registry.bind("deliveryFailureRecorder", (Processor) retryPolicy::recordFailure);

        String statusProperty = settings.get("hubspot.email-status-property", "");
        registry.bind("hubspotContacts", new HubSpotContactTranslator(statusProperty,
                settings.get("hubspot.subscriber-lifecycle-stage", ""),
                settings.get("hubspot.subscriber-lead-status", "")));

        if (BusLifecycle.sandboxEnabled(settings)) {
            Set<String> custom = new LinkedHashSet<>();
            if (!statusProperty.isBlank()) {
                custom.add(statusProperty);
            }
            registry.bind("sandbox", new SandboxHttp(List.of(
                    new HubSpotSandbox(settings.require("hubspot.access-token"), custom)), new SandboxFaults()));
        }
    }
}
