package io.marketingbus.platform.woocommerce;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.StoreState;
import io.marketingbus.ingress.StoreWebhook;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of WooCommerce's webhooks (docs/platforms/woocommerce.md §1–§2): the activation ping
 * ({@code webhook_id=<id>}, form-encoded, unsigned) is answered 200 and goes nowhere; anything else must carry
 * {@code X-WC-Webhook-Signature} from one of the store's secrets. {@code X-WC-Webhook-Topic} routes the payload to its
 * canonical events, left as records ({@link #RECORDS}) for one bus topic ({@link #TOPIC}); a topic or an order the
 * bus does not take is acknowledged as ignored (5 failed deliveries in a row disable the webhook).
 */
public final class WooCommerceIngress {

    public static final String RECORDS = StoreWebhook.RECORDS;
    public static final String TOPIC = StoreWebhook.TOPIC;
    /** True for the activation ping. */
    public static final String PING = "busStorePing";

    private final StoreWebhookSecrets secrets;
    private final WooCommerceTranslator translator;
    private final EventCodec codec;
    private final StoreState state;
    private final EventTimeWindow window;
    private final Clock clock;

    public WooCommerceIngress(StoreWebhookSecrets secrets, WooCommerceTranslator translator, EventCodec codec,
                              StoreState state, EventTimeWindow window, Clock clock) {
        this.secrets = secrets;
        this.translator = translator;
        this.codec = codec;
        this.state = state;
        this.window = window;
        this.clock = clock;
    }

    /** The ping goes through unsigned (it carries nothing); anything else needs a store's signature: 401 if not. */
    public void verify(Exchange exchange) {
        Message message = exchange.getMessage();
        Object form = message.getBody();
        if (form instanceof Map<?, ?> fields) {
            String encoded = FormFields.encode(fieldsOf(fields));
            exchange.setProperty(IngressExchange.RAW_REQUEST, encoded.getBytes(StandardCharsets.UTF_8));
            if (fields.size() == 1 && String.valueOf(first(fields.get("webhook_id"))).matches("[0-9]{1,20}")) {
                exchange.setProperty(PING, true);
                return;
            }
            throw new WebhookRejectedException(401, "a WooCommerce form body other than the activation ping", false);
        }
        byte[] body = message.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        exchange.setProperty(IngressExchange.RAW_REQUEST, body);
        if (new String(body, StandardCharsets.UTF_8).matches("webhook_id=[0-9]{1,20}")) {
            exchange.setProperty(PING, true);
            return;
        }
        exchange.setProperty(PING, false);
        if (secrets.isEmpty()) {
            throw new WebhookRejectedException(401, "no WooCommerce webhook secret is configured (woocommerce.webhook-secrets)", false);
        }
        String store = storeOrBlank(message);
        if (!secrets.verifies(store, body, message.getHeader("X-WC-Webhook-Signature", String.class))) {
            throw new WebhookRejectedException(401, "X-WC-Webhook-Signature does not match the body for "
                    + (store.isEmpty() ? "an unnamed store" : store), false);
        }
    }

    public void translate(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String store = storeOrBlank(message);
        if (store.isEmpty()) {
            throw new WebhookRejectedException(400, "the webhook has no usable X-WC-Webhook-Source header", true);
        }
        String topic = header(message, "X-WC-Webhook-Topic");
        String deliveryId = header(message, "X-WC-Webhook-Delivery-ID");
        if (!deliveryId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new WebhookRejectedException(400, "X-WC-Webhook-Delivery-ID is not a delivery id", true);
        }
        JsonNode payload = UntrustedJson.parse(raw);
        if (!payload.isObject()) {
            throw new WebhookRejectedException(400, "a WooCommerce webhook body is a JSON object", true);
        }
        if (payload.hasNonNull("date_modified_gmt")) {
            String modified = payload.get("date_modified_gmt").asText();
            window.check("date_modified_gmt", modified, Instant.parse(WooCommerceTranslator.gmt(payload, "date_modified_gmt")));
        }
        List<CloudEvent> events = new ArrayList<>();
        String busTopic = "purchases";
        String ignored = null;
        try {
            switch (topic) {
                case "order.created", "order.updated" -> {
                    if (WooCommerceTranslator.email(payload) == null) {
                        ignored = "an order without a billing e-mail";
                        break;
                    }
                    WooCommerceTranslator.OrderFacts facts = translator.facts(store, payload);
                    java.math.BigDecimal refunded = translator.refunded(store, payload);
                    String orderId = WooCommerceTranslator.required(payload, "id");
                    // for an order.deleted, which carries only the id: what is still to take off
                    state.put(store + "/order/" + orderId, new WooCommerceTranslator.OrderFacts(facts.transactionId(),
                            facts.email(), facts.value().subtract(refunded).max(java.math.BigDecimal.ZERO),
                            facts.currency()).encode());
                    if (WooCommerceTranslator.isUndone(payload)) {
                        events.addAll(translator.toRefunds(store, payload));
                        events.add(translator.toCancellation(store, orderId, facts, refunded,
                                WooCommerceTranslator.gmt(payload, payload.hasNonNull("date_modified_gmt")
                                        ? "date_modified_gmt" : "date_created_gmt")));
                    } else if (WooCommerceTranslator.isPaid(payload)) {
                        events.add(translator.toPurchase(store, deliveryId, payload));
                        events.addAll(translator.toRefunds(store, payload));
                    } else {
                        ignored = "an order not paid (status " + payload.path("status").asText() + ")";
                    }
                }
                case "order.deleted" -> {
                    String orderId = WooCommerceTranslator.required(payload, "id");
                    String facts = state.get(store + "/order/" + orderId);
                    if (facts == null) {
                        ignored = "the deletion of an order the bus has not seen";
                    } else {
                        events.add(translator.toCancellation(store, orderId,
                                WooCommerceTranslator.OrderFacts.decode(facts), java.math.BigDecimal.ZERO,
                                clock.instant().toString()));
                    }
                }
                case "customer.created", "customer.updated" -> {
                    busTopic = "subscriptions";
                    translator.toContact(store, deliveryId, payload).ifPresent(events::add);
                    ignored = events.isEmpty() ? "a customer without an e-mail" : null;
                }
                case "product.created", "product.updated", "product.restored" -> {
                    busTopic = "products";
                    events.add(translator.toProduct(store, deliveryId, payload));
                }
                case "product.deleted" -> {
                    busTopic = "products";
                    events.add(translator.toProductDeletion(store, deliveryId, payload, clock.instant().toString()));
                }
                default -> ignored = "topic " + topic;
            }
            StoreWebhook.setRecords(exchange, codec, events, busTopic, ignored);
        } catch (IllegalArgumentException | InvalidEventException e) {
            throw new WebhookRejectedException(400, "WooCommerce " + topic + ": " + e.getMessage(), true);
        }
    }

    /** The store: the host of {@code X-WC-Webhook-Source} ({@code https://shop.example.com/} → shop.example.com). */
    static String storeOrBlank(Message message) {
        String source = message.getHeader("X-WC-Webhook-Source", String.class);
        if (source == null || source.isBlank()) {
            return "";
        }
        try {
            String host = URI.create(source.trim()).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String header(Message message, String name) {
        return StoreWebhook.header(message, name);
    }

    private static Object first(Object value) {
        return value instanceof List<?> list && !list.isEmpty() ? list.get(0) : value;
    }

    private static Map<String, List<String>> fieldsOf(Map<?, ?> map) {
        Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> fields.put(String.valueOf(k), v instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v))));
        return fields;
    }
}
