package io.marketingbus.platform.whatsapp;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * WhatsApp Business Cloud API (docs/platforms/whatsapp.md): approved template messages on purchases
 * ({@code routes/flows/messaging.camel.yaml}) through camel-whatsapp ({@code routes/platforms/whatsapp.camel.yaml}),
 * and the webhook's statuses and opt-outs ({@code routes/ingress/whatsapp-webhook.camel.yaml}).
 */
public final class WhatsAppPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "whatsapp";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("whatsapp.base-url", "dev: sandbox; prod: `https://graph.facebook.com`", "the Graph API host (camel-whatsapp's `baseUri`)"),
                Setting.of("whatsapp.api-version", "`v25.0`", "Graph API version (camel-whatsapp's own default is `v13.0`)"),
                Setting.of("whatsapp.phone-number-id", "*(none)*", "the business number's id (required with WhatsApp)"),
                Setting.secret("whatsapp.access-token", "*(none)*", "system-user token with `whatsapp_business_messaging` (required with WhatsApp)"),
                Setting.of("whatsapp.requests-per-second", "`80`", "messages per second of an instance (the number's default throughput)"),
                Setting.of("whatsapp.conversions.enabled", "`false`", "send template messages on purchases"),
                Setting.of("whatsapp.templates.order-confirmation", "*(none)*", "approved template of an order confirmation (body: first name, order id); blank: none"),
                Setting.of("whatsapp.templates.loyalty.first", "*(none)*", "approved template of the first-purchase tier (body: first name, the tier's code); blank: none"),
                Setting.of("whatsapp.templates.loyalty.repeat", "*(none)*", "approved template of the repeat tier; blank: none"),
                Setting.of("whatsapp.templates.loyalty.vip", "*(none)*", "approved template of the VIP tier; blank: none"),
                Setting.of("whatsapp.templates.loyalty.first.code", "*(none)*", "second body parameter of the first-purchase template (a welcome code)"),
                Setting.of("whatsapp.templates.loyalty.repeat.code", "*(none)*", "second body parameter of the repeat template"),
                Setting.of("whatsapp.templates.loyalty.vip.code", "*(none)*", "second body parameter of the VIP template"),
                Setting.of("whatsapp.template-language", "`es_ES`", "language code of the templates"),
                Setting.of("whatsapp.webhook.enabled", "`false`", "serve `/webhooks/whatsapp` (statuses, opt-ins, opt-outs)"),
                Setting.secret("whatsapp.app-secret", "*(none)*", "Meta app secret: `X-Hub-Signature-256` (required with the webhook)"),
                Setting.secret("whatsapp.webhook-verify-token", "*(none)*", "the verify token of the subscription handshake (required with the webhook)"),
                Setting.of("whatsapp.opt-in-keywords", "`START`", "inbound texts that record an opt-in"),
                Setting.of("whatsapp.opt-out-keywords", "`STOP`", "inbound texts that record an opt-out"),
                Setting.of("whatsapp.hold-errors", "`131026,131047,131050`", "failed-status error codes after which no template goes to the number again"),
                Setting.of("whatsapp.timeout-ms", "`20000`", "a call without an answer by then fails (and is retried)"),
                Setting.of("sandbox.whatsapp.allowed-recipients", "*(none)*", "dev sandbox: the only numbers (digits) a test number sends to, else 131030; blank: any"),
                Setting.of("sandbox.whatsapp.messages-per-second", "`80`", "dev sandbox: the number's throughput, else 130429"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("whatsapp", "whatsapp.base-url", "whatsapp", s -> "https://graph.facebook.com",
                List.of("whatsapp.phone-number-id", "whatsapp.access-token"),
                PlatformApi.ordered("whatsapp.phone-number-id", "106540352242922", "whatsapp.access-token", "sandbox-whatsapp"),
                s -> s.getBoolean("whatsapp.conversions.enabled", false)));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        WhatsAppContacts contacts = setup.bind(new WhatsAppContacts(settings.require("camel.component.kafka.brokers"),
                settings.get("bus.topics.state", "marketing.state"), codes(settings.get("whatsapp.hold-errors", "131026,131047,131050"))));
        try {
            // stopped with the bus, which closes its consumer of the state topic
            setup.context().addService(contacts, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the WhatsApp contacts' state reader", e);
        }
        Map<String, String> templates = new HashMap<>();
        Map<String, String> codes = new HashMap<>();
        for (String tier : List.of("first", "repeat", "vip")) {
            templates.put(tier, settings.get("whatsapp.templates.loyalty." + tier, "").trim());
            codes.put(tier, settings.get("whatsapp.templates.loyalty." + tier + ".code", "").trim());
        }
        setup.bind(new WhatsAppTemplates(templates, codes, settings.get("whatsapp.templates.order-confirmation", ""),
                settings.get("whatsapp.template-language", "es_ES"),
                new BigDecimal(settings.get("loyalty.vip-amount", "500")), contacts::lookup));
        setup.bind(new WhatsAppConnector(setup.bean(DeliveryRetryPolicy.class)));
        setup.bind(new WhatsAppHttpClient(Duration.ofSeconds(10),
                Duration.ofMillis(settings.getLong("whatsapp.timeout-ms", 20_000))));
        setup.bind(new WhatsAppIngress(settings.get("whatsapp.app-secret", ""), settings.get("whatsapp.webhook-verify-token", ""),
                setup.csv("whatsapp.opt-out-keywords", "STOP"), setup.csv("whatsapp.opt-in-keywords", "START"),
                setup.codec(), setup.bean(EventTimeWindow.class)));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        Set<String> approved = new java.util.HashSet<>(Set.of("loyalty_welcome", "order_confirmation"));
        for (String key : List.of("whatsapp.templates.order-confirmation", "whatsapp.templates.loyalty.first",
                "whatsapp.templates.loyalty.repeat", "whatsapp.templates.loyalty.vip")) {
            String name = settings.get(key, "").trim();
            if (!name.isEmpty()) {
                approved.add(name);
            }
        }
        return List.of(new WhatsAppSandbox(settings.get("whatsapp.access-token", "sandbox-whatsapp"),
                settings.get("whatsapp.phone-number-id", "106540352242922"), approved,
                setup.csv("sandbox.whatsapp.allowed-recipients", ""),
                settings.getInt("sandbox.whatsapp.messages-per-second", 80), setup.clock()));
    }

    static Set<Integer> codes(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).collect(Collectors.toSet());
    }
}
