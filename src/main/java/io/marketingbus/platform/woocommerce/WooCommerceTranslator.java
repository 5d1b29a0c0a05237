package io.marketingbus.platform.woocommerce;

import static io.marketingbus.ingress.StorePayload.decimal;
import static io.marketingbus.ingress.StorePayload.text;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Product;
import io.marketingbus.event.Subscription;
import io.marketingbus.ingress.StorePayload;

/**
 * WooCommerce's webhook payloads (REST API v3 resources, docs/platforms/woocommerce.md §3–§5) as canonical events.
 * Sources are {@code /woocommerce/stores/<store host>}; ids are {@code wc-<store>-<X-WC-Webhook-Delivery-ID>}, a
 * refund's {@code wc-<store>-refund-<id>} and a cancellation's {@code wc-<store>-cancel-<order id>} (each counted
 * once, whichever {@code order.updated} carried it).
 */
public final class WooCommerceTranslator {

    public static final String PLATFORM = "woocommerce";
    /** Statuses of an order whose payment is complete (docs/platforms/woocommerce.md §4). */
    static final List<String> PAID = List.of("processing", "completed");
    /** Statuses that undo an order: cancelled, or refunded in full. */
    static final List<String> UNDONE = List.of("cancelled", "refunded");

    /** How the site's GA4 tag names the order ({@code transaction_id}): the order {@code number} or its {@code id}. */
    public enum OrderKey {
        NUMBER, ID;

        public static OrderKey of(String setting) {
            try {
                return valueOf(setting.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a WooCommerce order key is number or id, not '" + setting + "'");
            }
        }
    }

    /** What the bus keeps of an order for an {@code order.deleted}, which carries only the id. */
    public record OrderFacts(String transactionId, String email, BigDecimal value, String currency) {

        public String encode() {
            return String.join("\t", transactionId, email, value.toPlainString(), currency);
        }

        public static OrderFacts decode(String text) {
            String[] f = text.split("\t", -1);
            return new OrderFacts(f[0], f[1], new BigDecimal(f[2]), f[3]);
        }
    }

    private final OrderKey defaultOrderKey;
    private final Map<String, OrderKey> orderKeys;
    private final String defaultCurrency;
    private final Map<String, String> currencies;
    private final String consentMetaKey;

    /**
     * @param consentMetaKey the order or customer {@code meta_data} key a consent plugin writes ({@code yes},
     *                       {@code 1}, {@code true}: consented); blank: WooCommerce says nothing about consent
     */
    public WooCommerceTranslator(OrderKey defaultOrderKey, Map<String, OrderKey> orderKeys, String defaultCurrency,
                                 Map<String, String> currencies, String consentMetaKey) {
        this.defaultOrderKey = defaultOrderKey;
        this.orderKeys = orderKeys;
        this.defaultCurrency = defaultCurrency;
        this.currencies = currencies;
        this.consentMetaKey = consentMetaKey == null || consentMetaKey.isBlank() ? null : consentMetaKey.trim();
    }

    public static String source(String store) {
        return "/woocommerce/stores/" + store;
    }

    public String transactionId(String store, JsonNode order) {
        return switch (orderKeys.getOrDefault(store, defaultOrderKey)) {
            case NUMBER -> order.hasNonNull("number") ? required(order, "number") : required(order, "id");
            case ID -> required(order, "id");
        };
    }

    /** Paid: processing or completed, with {@code date_paid} set. */
    public static boolean isPaid(JsonNode order) {
        return PAID.contains(order.path("status").asText("")) && !order.path("date_paid").asText("").isBlank();
    }

    public static boolean isUndone(JsonNode order) {
        return UNDONE.contains(order.path("status").asText(""));
    }

    public static String email(JsonNode order) {
        String email = Identifiers.normaliseEmail(order.path("billing").path("email").asText(""));
        return Identifiers.isEmail(email) ? email : null;
    }

    public OrderFacts facts(String store, JsonNode order) {
        return new OrderFacts(transactionId(store, order), email(order), value(order), required(order, "currency"));
    }

    public CloudEvent toPurchase(String store, String deliveryId, JsonNode order) {
        String transactionId = transactionId(store, order);
        JsonNode billing = order.path("billing");
        String phone = Identifiers.normalisePhone(billing.path("phone").asText(""));
        CustomerRef customer = new CustomerRef(email(order), phone != null && phone.matches("\\+?[0-9]{4,20}") ? phone : null,
                null, null);
        List<Conversion.Item> items = new ArrayList<>();
        for (JsonNode line : order.path("line_items")) {
            String id = line.path("sku").asText("").isBlank() ? text(line, "product_id") : line.get("sku").asText();
            items.add(new Conversion.Item(id, text(line, "name"), decimal(line, "price", null),
                    line.path("quantity").canConvertToInt() ? line.get("quantity").asInt() : null));
        }
        String coupon = order.path("coupon_lines").path(0).path("code").asText(null);
        Conversion conversion = new Conversion(PLATFORM, transactionId, value(order), required(order, "currency"),
                decimal(order, "total_tax", null), decimal(order, "shipping_total", null), coupon,
                items.isEmpty() ? null : items.subList(0, Math.min(items.size(), 200)), null, null, required(order, "id"),
                null, consent(order.path("meta_data")), web(order));
        return CloudEvent.of("wc-" + store + "-" + deliveryId, source(store), EventTypes.PURCHASE_RECEIVED,
                gmt(order, "date_created_gmt"), Conversion.orderKey(transactionId),
                EventData.purchaseReceived(customer, conversion));
    }

    /**
     * Each refund of an order still standing ({@code refunds[].total}, negative, tax included), in the order's value
     * terms: its share of the order's total.
     */
    public List<CloudEvent> toRefunds(String store, JsonNode order) {
        List<CloudEvent> events = new ArrayList<>();
        OrderFacts facts = facts(store, order);
        BigDecimal gross = decimal(order, "total", BigDecimal.ZERO);
        for (JsonNode refund : order.path("refunds")) {
            BigDecimal amount = decimal(refund, "total", BigDecimal.ZERO).abs();
            BigDecimal share = gross.signum() <= 0 ? BigDecimal.ZERO
                    : facts.value().multiply(amount).divide(gross, 2, java.math.RoundingMode.HALF_UP).min(facts.value());
            events.add(reversal("wc-" + store + "-refund-" + required(refund, "id"), store,
                    EventTypes.PURCHASE_REFUNDED, gmt(order, "date_modified_gmt"), facts, required(order, "id"), share));
        }
        return events;
    }

    /** A cancelled or fully refunded order, or a deleted one: what no refund took off yet comes off the total. */
    public CloudEvent toCancellation(String store, String orderId, OrderFacts facts, BigDecimal alreadyRefunded,
                                     String time) {
        return reversal("wc-" + store + "-cancel-" + orderId, store, EventTypes.PURCHASE_CANCELLED, time, facts, orderId,
                facts.value().subtract(alreadyRefunded).max(BigDecimal.ZERO));
    }

    /** The order's refunds so far, in its value terms. */
    public BigDecimal refunded(String store, JsonNode order) {
        BigDecimal sum = BigDecimal.ZERO;
        for (CloudEvent refund : toRefunds(store, order)) {
            sum = sum.add(refund.data().conversion().value());
        }
        return sum;
    }

    public Optional<CloudEvent> toContact(String store, String deliveryId, JsonNode customer) {
        String email = Identifiers.normaliseEmail(customer.path("email").asText(""));
        if (!Identifiers.isEmail(email)) {
            return Optional.empty();
        }
        JsonNode billing = customer.path("billing");
        String country = billing.path("country").asText("");
        String phone = Identifiers.normalisePhone(billing.path("phone").asText(""));
        Boolean consent = consent(customer.path("meta_data"));
        String status = consent == null ? null : consent ? "subscribed" : "unsubscribed";
        Contact contact = new Contact(email, text(customer, "first_name"), text(customer, "last_name"),
                phone != null && phone.matches("\\+?[0-9]{4,20}") ? phone : null,
                country.matches("[A-Z]{2}") ? country : null, text(billing, "postcode"), null,
                status == null ? null : new Contact.Consent(status, null));
        Subscription subscription = new Subscription(PLATFORM, store, required(customer, "id"), status, null, null);
        String time = customer.hasNonNull("date_modified_gmt") ? gmt(customer, "date_modified_gmt")
                : gmt(customer, "date_created_gmt");
        return Optional.of(CloudEvent.of("wc-" + store + "-" + deliveryId, source(store),
                EventTypes.CONTACT_PROFILE_UPDATED, time, EventData.subscription(contact, subscription)));
    }

    /** A product (a simple product, or a variable product's parent) as one catalog item. */
    public CloudEvent toProduct(String store, String deliveryId, JsonNode product) {
        String id = required(product, "id");
        String description = product.path("short_description").asText("").isBlank()
                ? product.path("description").asText("") : product.path("short_description").asText();
        description = description.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        String stock = product.path("stock_status").asText("instock");
        boolean inStock = !"outofstock".equals(stock) && "publish".equals(product.path("status").asText("publish"));
        Integer inventory = product.path("manage_stock").asBoolean(false) && product.path("stock_quantity").canConvertToInt()
                ? product.get("stock_quantity").asInt() : null;
        Product item = new Product(PLATFORM, store, retailerId(store, id), id, text(product, "name"),
                description.isEmpty() ? null : description, text(product, "permalink"),
                product.path("images").path(0).path("src").asText(null), null, "new", decimal(product, "price", null),
                currencies.getOrDefault(store, defaultCurrency), inStock ? Product.IN_STOCK : Product.OUT_OF_STOCK, inventory);
        String time = product.hasNonNull("date_modified_gmt") ? gmt(product, "date_modified_gmt") : gmt(product, "date_created_gmt");
        return CloudEvent.of("wc-" + store + "-" + deliveryId, source(store), EventTypes.PRODUCT_UPSERTED, time,
                item.key(), EventData.product(item));
    }

    public CloudEvent toProductDeletion(String store, String deliveryId, JsonNode product, String time) {
        String id = required(product, "id");
        Product item = new Product(PLATFORM, store, retailerId(store, id), id, null, null, null, null, null, null, null,
                null, null, null);
        return CloudEvent.of("wc-" + store + "-" + deliveryId, source(store), EventTypes.PRODUCT_DELETED, time,
                item.key(), EventData.product(item));
    }

    /** WooCommerce ids are per store: the store's host keeps them apart. */
    public static String retailerId(String store, String productId) {
        return "woocommerce-" + store + "-" + productId;
    }

    private CloudEvent reversal(String id, String store, String type, String time, OrderFacts facts, String orderId,
                                BigDecimal value) {
        Conversion conversion = new Conversion(PLATFORM, facts.transactionId(), value, facts.currency(), null, null,
                null, null, null, null, orderId, null, null, null);
        return CloudEvent.of(id, source(store), type, time, Conversion.orderKey(facts.transactionId()),
                EventData.purchaseReceived(new CustomerRef(facts.email(), null, null, null), conversion));
    }

    /** The order's value as GA4 counts it: its lines after discounts, before tax and shipping. */
    static BigDecimal value(JsonNode order) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode line : order.path("line_items")) {
            sum = sum.add(decimal(line, "total", BigDecimal.ZERO));
        }
        return sum;
    }

    private Boolean consent(JsonNode metaData) {
        if (consentMetaKey == null) {
            return null;
        }
        for (JsonNode meta : metaData) {
            if (consentMetaKey.equals(meta.path("key").asText())) {
                String value = meta.path("value").asText("").trim().toLowerCase(Locale.ROOT);
                return List.of("yes", "1", "true", "on", "subscribed").contains(value);
            }
        }
        return false;
    }

    private static Conversion.Web web(JsonNode order) {
        String ip = text(order, "customer_ip_address");
        String userAgent = text(order, "customer_user_agent");
        String fbc = null;
        String fbp = null;
        for (JsonNode meta : order.path("meta_data")) {
            switch (meta.path("key").asText("")) {
                case "_fbc", "fbc" -> fbc = meta.path("value").asText(null);
                case "_fbp", "fbp" -> fbp = meta.path("value").asText(null);
                default -> { }
            }
        }
        if (ip == null && userAgent == null && fbc == null && fbp == null) {
            return null;
        }
        return new Conversion.Web(ip, userAgent, null, fbc, fbp);
    }

    /** WooCommerce's {@code *_gmt} times have no zone: they are UTC. */
    static String gmt(JsonNode node, String field) {
        String value = required(node, field);
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not a time: " + value);
        }
    }

    static String required(JsonNode node, String field) {
        return StorePayload.required(node, field);
    }
}
