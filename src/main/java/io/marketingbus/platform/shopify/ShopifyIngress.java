package io.marketingbus.platform.shopify;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.StoreState;
import io.marketingbus.ingress.StoreWebhook;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of Shopify's webhooks (docs/platforms/shopify.md §1–§2): the HMAC over the raw body with one of
 * the shop's secrets, then {@code X-Shopify-Topic} routes the payload to its canonical events, left as
 * {@link #RECORDS} (Kafka records) for the topic in {@link #TOPIC}. A topic, or an order, the bus does not take is
 * acknowledged with 200 and counted as ignored, so Shopify does not retry it or delete the subscription.
 */
public final class ShopifyIngress {

    public static final String RECORDS = StoreWebhook.RECORDS;
    public static final String TOPIC = StoreWebhook.TOPIC;
    static final List<String> ORDER_TOPICS = List.of("orders/create", "orders/paid", "orders/updated");

    private final StoreWebhookSecrets secrets;
    private final ShopifyTranslator translator;
    private final EventCodec codec;
    private final StoreState state;
    private final EventTimeWindow window;
    private final Clock clock;

    public ShopifyIngress(StoreWebhookSecrets secrets, ShopifyTranslator translator, EventCodec codec, StoreState state,
                          EventTimeWindow window, Clock clock) {
        this.secrets = secrets;
        this.translator = translator;
        this.codec = codec;
        this.state = state;
        this.window = window;
        this.clock = clock;
    }

    /** Keeps the raw body, then checks {@code X-Shopify-Hmac-Sha256} against the shop's secrets: 401 when none signed it. */
    public void verify(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        exchange.setProperty(IngressExchange.RAW_REQUEST, body);
        if (secrets.isEmpty()) {
            throw new WebhookRejectedException(401, "no Shopify webhook secret is configured (shopify.webhook-secrets)", false);
        }
        // before the signature is checked nothing is trusted: a missing shop only narrows the secrets to shared ones
        String shop = String.valueOf(message.getHeader("X-Shopify-Shop-Domain", "", String.class)).trim();
        if (!secrets.verifies(shop, body, message.getHeader("X-Shopify-Hmac-Sha256", String.class))) {
            throw new WebhookRejectedException(401, "X-Shopify-Hmac-Sha256 does not match the body for " + shop, false);
        }
    }

    public void translate(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String shop = shop(message);
        String topic = header(message, "X-Shopify-Topic");
        String webhookId = header(message, "X-Shopify-Webhook-Id");
        if (!webhookId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new WebhookRejectedException(400, "X-Shopify-Webhook-Id is not a webhook id", true);
        }
        String triggeredAt = message.getHeader("X-Shopify-Triggered-At", String.class);
        if (triggeredAt != null) {
            window.check("X-Shopify-Triggered-At", triggeredAt, instant(triggeredAt));
        }
        JsonNode payload = UntrustedJson.parse(raw);
        if (!payload.isObject()) {
            throw new WebhookRejectedException(400, "a Shopify webhook body is a JSON object", true);
        }
        List<CloudEvent> events = new ArrayList<>();
        String busTopic = "purchases";
        String ignored = null;
        try {
            if (ORDER_TOPICS.contains(topic)) {
                String email = ShopifyTranslator.email(payload);
                if (email == null) {
                    ignored = "an order without an e-mail";
                } else {
                    state.put(shop + "/order/" + ShopifyTranslator.required(payload, "id"),
                            translator.facts(shop, payload).encode());
                    if (ShopifyTranslator.isPaid(payload)) {
                        events.add(translator.toPurchase(shop, webhookId, payload));
                    } else {
                        ignored = "an order not paid yet (financial_status " + payload.path("financial_status").asText() + ")";
                    }
                }
            } else if ("orders/cancelled".equals(topic)) {
                if (ShopifyTranslator.email(payload) == null) {
                    ignored = "an order without an e-mail";
                } else {
                    events.add(translator.toCancellation(shop, payload));
                }
            } else if ("refunds/create".equals(topic)) {
                String facts = state.get(shop + "/order/" + ShopifyTranslator.required(payload, "order_id"));
                if (facts == null) {
                    ignored = "a refund of an order the bus has not seen";
                } else {
                    events.add(translator.toRefund(shop, payload, ShopifyTranslator.OrderFacts.decode(facts)));
                }
            } else if ("customers/create".equals(topic) || "customers/update".equals(topic)) {
                busTopic = "subscriptions";
                translator.toContact(shop, webhookId, payload).ifPresent(events::add);
                ignored = events.isEmpty() ? "a customer without an e-mail" : null;
            } else if ("products/create".equals(topic) || "products/update".equals(topic)) {
                busTopic = "products";
                List<String> variantIds = new ArrayList<>();
                for (JsonNode variant : payload.path("variants")) {
                    String variantId = ShopifyTranslator.required(variant, "id");
                    variantIds.add(variantId);
                    if (variant.hasNonNull("inventory_item_id")) {
                        state.put(shop + "/inventory-item/" + variant.get("inventory_item_id").asText(),
                                ShopifyTranslator.retailerId(variantId));
                    }
                }
                state.put(shop + "/product/" + ShopifyTranslator.required(payload, "id"), String.join(",", variantIds));
                events.addAll(translator.toProducts(shop, webhookId, payload));
            } else if ("products/delete".equals(topic)) {
                busTopic = "products";
                String variants = state.get(shop + "/product/" + ShopifyTranslator.required(payload, "id"));
                if (variants == null || variants.isBlank()) {
                    ignored = "the deletion of a product the bus has not seen";
                } else {
                    events.addAll(translator.toProductDeletions(shop, webhookId, payload,
                            Arrays.asList(variants.split(",")), clock.instant()));
                }
            } else if ("inventory_levels/update".equals(topic)) {
                busTopic = "products";
                String retailerId = state.get(shop + "/inventory-item/" + ShopifyTranslator.required(payload, "inventory_item_id"));
                if (retailerId == null) {
                    ignored = "inventory of an item no product webhook has named yet";
                } else {
                    events.add(translator.toInventory(shop, webhookId, payload, retailerId, clock.instant()));
                }
            } else {
                ignored = "topic " + topic;
            }
            StoreWebhook.setRecords(exchange, codec, events, busTopic, ignored);
            if (ignored != null) {
                exchange.setProperty(IngressExchange.EVENT_TYPE, "shopify " + topic + ": " + ignored);
            }
        } catch (IllegalArgumentException | InvalidEventException e) {
            throw new WebhookRejectedException(400, "Shopify " + topic + ": " + e.getMessage(), true);
        }
    }

    private static String shop(Message message) {
        String shop = header(message, "X-Shopify-Shop-Domain").toLowerCase(java.util.Locale.ROOT);
        if (!shop.matches("[a-z0-9][a-z0-9.-]{0,252}")) {
            throw new WebhookRejectedException(400, "X-Shopify-Shop-Domain is not a domain", true);
        }
        return shop;
    }

    private static String header(Message message, String name) {
        return StoreWebhook.header(message, name);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new WebhookRejectedException(400, "X-Shopify-Triggered-At is not an ISO 8601 time", true);
        }
    }
}
