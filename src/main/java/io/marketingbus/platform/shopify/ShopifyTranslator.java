package io.marketingbus.platform.shopify;

import static io.marketingbus.ingress.StorePayload.decimal;
import static io.marketingbus.ingress.StorePayload.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * Shopify's webhook payloads (REST resources, docs/platforms/shopify.md §3–§5) as canonical events. Plain Java:
 * the facts an earlier webhook told (an order's customer, a product's variants) come in as arguments.
 * Sources are {@code /shopify/shops/<shop domain>}; ids are {@code shopify-<X-Shopify-Webhook-Id>} (the same on every
 * retry), a refund's and a cancellation's {@code shopify-refund-<id>} and {@code shopify-cancel-<order id>} (one
 * refund or cancellation never counts twice, whichever webhook reported it).
 */
public final class ShopifyTranslator {

    public static final String PLATFORM = "shopify";
    /** Financial states of an order whose money was taken (docs/platforms/shopify.md §4). */
    static final List<String> PAID = List.of("paid", "partially_paid", "partially_refunded", "refunded");

    /** How the site's GA4 tag names the order ({@code transaction_id}): {@code name} (#1001), {@code number}, {@code id}. */
    public enum OrderKey {
        NAME, NUMBER, ID;

        public static OrderKey of(String setting) {
            try {
                return valueOf(setting.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("an order key is name, number or id, not '" + setting + "'");
            }
        }
    }

    /** What the bus keeps of an order for its later refunds (ShopifyState): key, customer and amounts. */
    public record OrderFacts(String transactionId, String email, BigDecimal value, BigDecimal gross, String currency) {

        String encode() {
            return String.join("\t", transactionId, email, value.toPlainString(), gross.toPlainString(), currency);
        }

        static OrderFacts decode(String text) {
            String[] f = text.split("\t", -1);
            return new OrderFacts(f[0], f[1], new BigDecimal(f[2]), new BigDecimal(f[3]), f[4]);
        }
    }

    private final Map<String, OrderKey> orderKeys;
    private final OrderKey defaultOrderKey;
    private final Map<String, String> currencies;
    private final String defaultCurrency;

    /**
     * @param orderKeys  per shop domain, when it differs from {@code defaultOrderKey}
     * @param currencies per shop domain, the currency of its product prices (product webhooks do not carry it)
     */
    public ShopifyTranslator(OrderKey defaultOrderKey, Map<String, OrderKey> orderKeys, String defaultCurrency,
                             Map<String, String> currencies) {
        this.defaultOrderKey = defaultOrderKey;
        this.orderKeys = orderKeys;
        this.defaultCurrency = defaultCurrency;
        this.currencies = currencies;
    }

    public static String source(String shop) {
        return "/shopify/shops/" + shop;
    }

    /** The order's key as the shop's GA4 tag sends it as {@code transaction_id}. */
    public String transactionId(String shop, JsonNode order) {
        return switch (orderKeys.getOrDefault(shop, defaultOrderKey)) {
            case NAME -> required(order, "name");
            case NUMBER -> required(order, "order_number");
            case ID -> required(order, "id");
        };
    }

    public static boolean isPaid(JsonNode order) {
        return PAID.contains(order.path("financial_status").asText(""));
    }

    /** The order's customer e-mail (normalised), or null when it has none. */
    public static String email(JsonNode order) {
        for (String candidate : List.of(order.path("email").asText(""), order.path("contact_email").asText(""),
                order.path("customer").path("email").asText(""))) {
            String email = Identifiers.normaliseEmail(candidate);
            if (Identifiers.isEmail(email)) {
                return email;
            }
        }
        return null;
    }

    /** The order's facts the bus keeps for its refunds. */
    public OrderFacts facts(String shop, JsonNode order) {
        return new OrderFacts(transactionId(shop, order), email(order), value(order),
                decimal(order, "total_price", BigDecimal.ZERO), order.path("currency").asText(""));
    }

    /** A paid order as {@code marketing.purchase.received}; the caller checked {@link #isPaid} and the e-mail. */
    public CloudEvent toPurchase(String shop, String webhookId, JsonNode order) {
        String transactionId = transactionId(shop, order);
        JsonNode customer = order.path("customer");
        CustomerRef ref = new CustomerRef(email(order), phone(order), null, null);
        List<Conversion.Item> items = new ArrayList<>();
        for (JsonNode line : order.path("line_items")) {
            String id = line.path("sku").asText("").isBlank() ? text(line, "variant_id") : line.get("sku").asText();
            items.add(new Conversion.Item(id, text(line, "name"), decimal(line, "price", null),
                    line.path("quantity").canConvertToInt() ? line.get("quantity").asInt() : null));
        }
        BigDecimal shipping = BigDecimal.ZERO;
        for (JsonNode line : order.path("shipping_lines")) {
            shipping = shipping.add(decimal(line, "price", BigDecimal.ZERO));
        }
        String coupon = order.path("discount_codes").path(0).path("code").asText(null);
        Conversion conversion = new Conversion(PLATFORM, transactionId, value(order), required(order, "currency"),
                decimal(order, "total_tax", null), shipping, coupon, items.isEmpty() ? null : items.subList(0,
                Math.min(items.size(), 200)), null, null, required(order, "id"), order.path("test").asBoolean(false),
                consent(customer, order), web(shop, order));
        return CloudEvent.of("shopify-" + webhookId, source(shop), EventTypes.PURCHASE_RECEIVED,
                time(order, "created_at"), Conversion.orderKey(transactionId), EventData.purchaseReceived(ref, conversion));
    }

    /** {@code orders/cancelled}: takes off what no refund took off yet (the refunds' share of the order's gross). */
    public CloudEvent toCancellation(String shop, JsonNode order) {
        OrderFacts facts = facts(shop, order);
        BigDecimal refundedGross = BigDecimal.ZERO;
        for (JsonNode refund : order.path("refunds")) {
            refundedGross = refundedGross.add(refundedGross(refund));
        }
        BigDecimal remaining = facts.value().subtract(share(facts, refundedGross)).max(BigDecimal.ZERO);
        return reversal("shopify-cancel-" + required(order, "id"), shop, EventTypes.PURCHASE_CANCELLED,
                time(order, "cancelled_at"), facts, required(order, "id"), remaining, order.path("test").asBoolean(false));
    }

    /** {@code refunds/create}, for an order whose facts the bus kept; the amount in the order's value terms. */
    public CloudEvent toRefund(String shop, JsonNode refund, OrderFacts facts) {
        return reversal("shopify-refund-" + required(refund, "id"), shop, EventTypes.PURCHASE_REFUNDED,
                time(refund, "created_at"), facts, required(refund, "order_id"), share(facts, refundedGross(refund)), null);
    }

    /** {@code customers/create|update}: the customer's profile and e-mail marketing consent, for flow 1. */
    public Optional<CloudEvent> toContact(String shop, String webhookId, JsonNode customer) {
        String email = Identifiers.normaliseEmail(customer.path("email").asText(""));
        if (!Identifiers.isEmail(email)) {
            return Optional.empty();
        }
        String status = switch (customer.path("email_marketing_consent").path("state").asText("")) {
            case "subscribed" -> "subscribed";
            case "unsubscribed" -> "unsubscribed";
            default -> null;
        };
        JsonNode address = customer.path("default_address");
        String country = address.path("country_code").asText("");
        Contact contact = new Contact(email, text(customer, "first_name"), text(customer, "last_name"),
                Identifiers.normalisePhone(text(customer, "phone")), country.matches("[A-Z]{2}") ? country : null,
                text(address, "zip"), null, status == null ? null : new Contact.Consent(status, null));
        Subscription subscription = new Subscription(PLATFORM, shop, required(customer, "id"), status, null, null);
        return Optional.of(CloudEvent.of("shopify-" + webhookId, source(shop), EventTypes.CONTACT_PROFILE_UPDATED,
                time(customer, "updated_at"), EventData.subscription(contact, subscription)));
    }

    /** {@code products/create|update}: one upsert per variant. */
    public List<CloudEvent> toProducts(String shop, String webhookId, JsonNode product) {
        List<CloudEvent> events = new ArrayList<>();
        String productId = required(product, "id");
        String description = product.path("body_html").asText("").replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        String productImage = product.path("image").path("src").asText(null);
        for (JsonNode variant : product.path("variants")) {
            String variantTitle = variant.path("title").asText("");
            String title = variantTitle.isBlank() || "Default Title".equals(variantTitle)
                    ? product.path("title").asText("") : product.path("title").asText("") + " - " + variantTitle;
            String image = productImage;
            for (JsonNode candidate : product.path("images")) {
                if (!variant.path("image_id").isNull() && candidate.path("id").asText("").equals(variant.path("image_id").asText())) {
                    image = candidate.path("src").asText(image);
                }
            }
            boolean tracked = !variant.path("inventory_management").asText("").isBlank();
            Integer inventory = tracked && variant.path("inventory_quantity").canConvertToInt()
                    ? variant.get("inventory_quantity").asInt() : null;
            boolean inStock = !tracked || "continue".equals(variant.path("inventory_policy").asText())
                    || (inventory != null && inventory > 0);
            if (!"active".equals(product.path("status").asText("active"))) {
                inStock = false;
            }
            String variantId = required(variant, "id");
            Product item = new Product(PLATFORM, shop, retailerId(variantId), productId, title,
                    description.isEmpty() ? null : description,
                    "https://" + shop + "/products/" + product.path("handle").asText(productId) + "?variant=" + variantId,
                    image, text(product, "vendor"), "new", decimal(variant, "price", null),
                    currencies.getOrDefault(shop, defaultCurrency), inStock ? Product.IN_STOCK : Product.OUT_OF_STOCK,
                    inventory);
            events.add(CloudEvent.of("shopify-" + webhookId + "-" + variantId, source(shop), EventTypes.PRODUCT_UPSERTED,
                    time(product, "updated_at"), item.key(), EventData.product(item)));
        }
        return events;
    }

    /** {@code products/delete} carries only the product id: its variants come from what the bus kept. */
    public List<CloudEvent> toProductDeletions(String shop, String webhookId, JsonNode product, List<String> variantIds,
                                               Instant now) {
        List<CloudEvent> events = new ArrayList<>();
        for (String variantId : variantIds) {
            Product item = new Product(PLATFORM, shop, retailerId(variantId), required(product, "id"), null, null, null,
                    null, null, null, null, null, null, null);
            events.add(CloudEvent.of("shopify-" + webhookId + "-" + variantId, source(shop), EventTypes.PRODUCT_DELETED,
                    now.toString(), item.key(), EventData.product(item)));
        }
        return events;
    }

    /** {@code inventory_levels/update}: the variant's new availability (the level of the location that changed). */
    public CloudEvent toInventory(String shop, String webhookId, JsonNode level, String retailerId, Instant now) {
        Integer available = level.path("available").canConvertToInt() ? level.get("available").asInt() : null;
        Product item = new Product(PLATFORM, shop, retailerId, null, null, null, null, null, null, null, null, null,
                available != null && available <= 0 ? Product.OUT_OF_STOCK : Product.IN_STOCK, available);
        String time = level.hasNonNull("updated_at") ? time(level, "updated_at") : now.toString();
        return CloudEvent.of("shopify-" + webhookId, source(shop), EventTypes.PRODUCT_UPSERTED, time, item.key(),
                EventData.product(item));
    }

    /** The catalog id of a variant: Shopify's ids are its own, {@code shopify-} keeps them apart from other stores'. */
    public static String retailerId(String variantId) {
        return "shopify-" + variantId;
    }

    private CloudEvent reversal(String id, String shop, String type, String time, OrderFacts facts, String orderId,
                                BigDecimal value, Boolean test) {
        Conversion conversion = new Conversion(PLATFORM, facts.transactionId(), value, facts.currency(), null, null,
                null, null, null, null, orderId, test, null, null);
        return CloudEvent.of(id, source(shop), type, time, Conversion.orderKey(facts.transactionId()),
                EventData.purchaseReceived(new CustomerRef(facts.email(), null, null, null), conversion));
    }

    /** The part of the order's value (no tax, no shipping) that a gross amount refunded stands for. */
    private static BigDecimal share(OrderFacts facts, BigDecimal refundedGross) {
        if (facts.gross().signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return facts.value().multiply(refundedGross).divide(facts.gross(), 2, RoundingMode.HALF_UP).min(facts.value());
    }

    private static BigDecimal refundedGross(JsonNode refund) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode transaction : refund.path("transactions")) {
            if ("refund".equals(transaction.path("kind").asText()) && "success".equals(transaction.path("status").asText("success"))) {
                sum = sum.add(decimal(transaction, "amount", BigDecimal.ZERO));
            }
        }
        return sum;
    }

    /** The order's value as GA4 counts it: after discounts, before tax and shipping. */
    static BigDecimal value(JsonNode order) {
        BigDecimal subtotal = decimal(order, "subtotal_price", BigDecimal.ZERO);
        if (order.path("taxes_included").asBoolean(false)) {
            subtotal = subtotal.subtract(decimal(order, "total_tax", BigDecimal.ZERO));
        }
        return subtotal.max(BigDecimal.ZERO);
    }

    private static String phone(JsonNode order) {
        for (String candidate : List.of(order.path("phone").asText(""), order.path("customer").path("phone").asText(""),
                order.path("billing_address").path("phone").asText(""))) {
            String phone = Identifiers.normalisePhone(candidate);
            if (phone != null && phone.matches("\\+?[0-9]{4,20}")) {
                return phone;
            }
        }
        return null;
    }

    /** The customer's e-mail marketing consent; else the order's {@code buyer_accepts_marketing}; else unknown. */
    private static Boolean consent(JsonNode customer, JsonNode order) {
        JsonNode state = customer.path("email_marketing_consent").path("state");
        if (state.isTextual()) {
            return "subscribed".equals(state.asText());
        }
        JsonNode accepts = order.path("buyer_accepts_marketing");
        return accepts.isBoolean() ? accepts.asBoolean() : null;
    }

    /** The browser facts and the Meta click id (fbclid in the landing page or a note attribute, as an fbc). */
    private static Conversion.Web web(String shop, JsonNode order) {
        JsonNode client = order.path("client_details");
        String ip = client.path("browser_ip").asText(order.path("browser_ip").asText(null));
        String userAgent = client.path("user_agent").asText(null);
        String landing = order.path("landing_site").asText(null);
        String url = landing == null ? null : landing.startsWith("/") ? "https://" + shop + landing : landing;
        String fbclid = queryParameter(url, "fbclid");
        String fbc = null;
        String fbp = null;
        for (JsonNode attribute : order.path("note_attributes")) {
            String name = attribute.path("name").asText("");
            String value = attribute.path("value").asText(null);
            switch (name) {
                case "fbclid" -> fbclid = fbclid == null ? value : fbclid;
                case "_fbc", "fbc" -> fbc = value;
                case "_fbp", "fbp" -> fbp = value;
                default -> { }
            }
        }
        if (fbc == null && fbclid != null) {
            // Meta's fbc format: fb.1.<click time in ms>.<fbclid>; the order's time stands in for the click's
            long millis = Instant.parse(time(order, "created_at")).toEpochMilli();
            fbc = "fb.1." + millis + "." + fbclid;
        }
        if (ip == null && userAgent == null && url == null && fbc == null && fbp == null) {
            return null;
        }
        return new Conversion.Web(ip, userAgent, url, fbc, fbp);
    }

    static String queryParameter(String url, String name) {
        if (url == null) {
            return null;
        }
        try {
            String query = URI.create(url).getRawQuery();
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** A Shopify time (ISO 8601 with offset) as UTC. */
    static String time(JsonNode node, String field) {
        String value = required(node, field);
        try {
            return OffsetDateTime.parse(value).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO 8601 time: " + value);
        }
    }

    static String required(JsonNode node, String field) {
        return StorePayload.required(node, field);
    }
}
