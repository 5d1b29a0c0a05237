package io.marketingbus.api.tracking;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.Countries;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.ingress.StoreState;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Identity;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.event.Subscription;
import io.marketingbus.ingress.BusRecord;

/**
 * Segment spec → canonical events (docs/api.md, "What each call becomes"): {@code identify} with an e-mail → a
 * contact's profile update (flow 1) and, with any id, {@code marketing.identity.identified}; the purchase event
 * ({@code tracking.purchase-event}, Segment's "Order Completed") → {@code marketing.purchase.received} keyed by the
 * order like the stores' and GA4's copies; every other {@code track}, {@code page}, {@code screen}, {@code group} → a
 * GA4 Measurement Protocol hit on {@code marketing.analytics-hits}; {@code alias} → {@code marketing.identity.aliased}.
 */
public final class SegmentTranslator implements TrackingTranslator {

    public static final String PLATFORM = "segment";
    static final String SUBSCRIPTIONS = "marketing.subscriptions";
    static final String PURCHASES = "marketing.purchases";
    static final String ANALYTICS_HITS = "marketing.analytics-hits";
    /** GA4's limits on a hit's events (docs/platforms/ga4.md): name length, params per event, text value length. */
    static final int MAX_NAME = 40;
    static final int MAX_PARAMS = 25;
    static final int MAX_VALUE = 100;
    /** Segment's e-commerce spec v2 → GA4's recommended events. */
    static final Map<String, String> GA4_NAMES = Map.of(
            "Products Searched", "search",
            "Product Viewed", "view_item",
            "Product Added", "add_to_cart",
            "Checkout Started", "begin_checkout",
            "Signed Up", "sign_up");
    private static final Set<String> RESERVED_PREFIXES = Set.of("google_", "ga_", "firebase_");
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final EventCodec codec;
    private final String purchaseEvent;
    private final StoreState identities;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    /**
     * @param purchaseEvent the {@code track} event name that is a purchase ({@code tracking.purchase-event})
     * @param identities    each source's userId → e-mail of its last identify, so a purchase tracked with only the
     *                      userId (what server libraries send) still names the customer by e-mail
     */
    public SegmentTranslator(EventCodec codec, String purchaseEvent, StoreState identities) {
        this.codec = codec;
        this.purchaseEvent = purchaseEvent;
        this.identities = identities;
    }

    public SegmentTranslator(EventCodec codec, String purchaseEvent) {
        this(codec, purchaseEvent, StoreState.inMemory("tracking"));
    }

    /** The event id of a tracked message: deterministic, so a retried call is the same event downstream. */
    public static String eventId(String source, String messageId) {
        return "seg-" + Identifiers.sha256Hex(source + "|" + messageId).substring(0, 32);
    }

    @Override
    public List<TrackedRecord> toRecords(TrackedMessage message) {
        String id = eventId(message.source(), message.messageId());
        String source = "/tracking/" + message.source();
        String time = message.timestamp().toString();
        List<CloudEvent> events = new ArrayList<>();
        switch (message.type()) {
            case "identify" -> {
                Contact contact = contact(message);
                if (contact != null) {
                    if (message.userId() != null) {
                        identities.remember(identityKey(message), contact.email());
                    }
                    events.add(CloudEvent.of(id, source, EventTypes.CONTACT_PROFILE_UPDATED, time,
                            ContactKey.of(contact.email()), EventData.subscription(contact,
                                    new Subscription(PLATFORM, message.source(), message.userId(), null, null, null))));
                }
                Identity identity = new Identity(message.userId(), message.anonymousId(), null, traits(message));
                events.add(CloudEvent.of(id, source, EventTypes.IDENTITY_IDENTIFIED, time, identity.key(),
                        EventData.identity(identity)));
            }
            case "alias" -> {
                String previousId = text(message.message(), "previousId");
                if (message.userId() == null || previousId == null) {
                    throw new InvalidEventException("alias needs userId and previousId");
                }
                Identity identity = new Identity(message.userId(), null, previousId, null);
                events.add(CloudEvent.of(id, source, EventTypes.IDENTITY_ALIASED, time, identity.key(),
                        EventData.identity(identity)));
            }
            case "track" -> {
                if (message.event() == null || message.event().isBlank()) {
                    throw new InvalidEventException("track needs event, the event's name");
                }
                events.add(purchaseEvent.equals(message.event()) ? purchase(id, source, time, message)
                        : hit(id, source, message));
            }
            case "page", "screen", "group" -> events.add(hit(id, source, message));
            default -> throw new InvalidEventException("unknown type '" + message.type() + "'");
        }
        List<TrackedRecord> records = new ArrayList<>();
        for (CloudEvent event : events) {
            records.add(new TrackedRecord(topic(event.type()), new BusRecord(event.subject(), codec.toJson(event)),
                    event.id(), event.type(), event.source()));
        }
        return records;
    }

    private static String identityKey(TrackedMessage message) {
        return "users/" + message.source() + "/" + message.userId();
    }

    private static String topic(String type) {
        return switch (type) {
            case EventTypes.CONTACT_PROFILE_UPDATED -> SUBSCRIPTIONS;
            case EventTypes.PURCHASE_RECEIVED -> PURCHASES;
            default -> ANALYTICS_HITS;
        };
    }

    /** Segment's reserved traits (spec: identify) → the contact; null without a valid e-mail. */
    private Contact contact(TrackedMessage message) {
        JsonNode traits = message.message().path("traits");
        JsonNode contextTraits = message.message().path("context").path("traits");
        String email = email(traits, contextTraits, null);
        if (email == null) {
            return null;
        }
        String firstName = first(traits, contextTraits, "firstName", "first_name");
        String lastName = first(traits, contextTraits, "lastName", "last_name");
        String name = first(traits, contextTraits, "name");
        if (firstName == null && lastName == null && name != null) {
            int space = name.trim().indexOf(' ');
            firstName = space < 0 ? name.trim() : name.trim().substring(0, space);
            lastName = space < 0 ? null : name.trim().substring(space + 1).trim();
        }
        String phone = Identifiers.normalisePhone(first(traits, contextTraits, "phone"));
        JsonNode address = traits.path("address").isObject() ? traits.path("address") : contextTraits.path("address");
        String country = Countries.code(text(address, "country"));
        return new Contact(email, firstName, lastName, phone, country, text(address, "postal_code"), null, null);
    }

    /** The first valid e-mail of traits, context.traits, then properties. */
    private static String email(JsonNode traits, JsonNode contextTraits, JsonNode properties) {
        for (JsonNode node : new JsonNode[] {traits, contextTraits, properties}) {
            String email = node == null ? null : text(node, "email");
            if (email != null) {
                String normalised = Identifiers.normaliseEmail(email);
                if (Identifiers.isEmail(normalised)) {
                    return normalised;
                }
            }
        }
        return null;
    }

    /** Profile traits for the identity event: never e-mail or phone (identity-data.schema.json). */
    private Map<String, Object> traits(TrackedMessage message) {
        JsonNode traits = message.message().path("traits");
        if (!traits.isObject() || traits.isEmpty()) {
            return null;
        }
        ObjectNode copy = traits.deepCopy();
        copy.remove("email");
        copy.remove("phone");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(copy, LinkedHashMap.class);
        return map.isEmpty() ? null : map;
    }

    /** Segment e-commerce spec v2 "Order Completed" → a purchase keyed by its order, as the stores' and GA4's. */
    private CloudEvent purchase(String id, String source, String time, TrackedMessage message) {
        JsonNode properties = message.message().path("properties");
        String orderId = text(properties, "order_id");
        if (orderId == null) {
            throw new InvalidEventException(purchaseEvent + " needs properties.order_id");
        }
        BigDecimal value = number(properties, "revenue");
        value = value != null ? value : number(properties, "total");
        String currency = text(properties, "currency");
        currency = currency == null ? "USD" : currency.trim().toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw new InvalidEventException(purchaseEvent + ": properties.currency must be an ISO 4217 code");
        }
        List<Conversion.Item> items = new ArrayList<>();
        for (JsonNode product : properties.path("products")) {
            String productId = text(product, "product_id");
            items.add(new Conversion.Item(productId != null ? productId : text(product, "sku"), text(product, "name"),
                    number(product, "price"),
                    product.path("quantity").canConvertToInt() ? product.get("quantity").asInt() : null));
        }
        String email = email(message.message().path("traits"), message.message().path("context").path("traits"),
                properties);
        if (email == null && message.userId() != null) {
            email = identities.get(identityKey(message));
        }
        if (email == null && message.userId() == null) {
            throw new InvalidEventException(purchaseEvent + " needs userId or an e-mail (traits.email, context.traits.email"
                    + " or properties.email) to find the customer");
        }
        CustomerRef customer = new CustomerRef(email, null, message.userId(), message.anonymousId());
        Conversion conversion = new Conversion(PLATFORM, orderId, value, currency, number(properties, "tax"),
                number(properties, "shipping"), text(properties, "coupon"), items.isEmpty() ? null : items, null, null,
                orderId, null, null, null);
        return CloudEvent.of(id, source, EventTypes.PURCHASE_RECEIVED, time, Conversion.orderKey(orderId),
                EventData.purchaseReceived(customer, conversion));
    }

    /** A GA4 Measurement Protocol hit, the shape the GA4 relay writes. */
    private CloudEvent hit(String id, String source, TrackedMessage message) {
        ObjectNode hit = json.objectNode();
        String clientId = message.anonymousId() != null ? message.anonymousId() : message.userId();
        hit.put("client_id", clientId);
        if (message.userId() != null) {
            hit.put("user_id", message.userId());
        }
        long micros = message.timestamp().getEpochSecond() * 1_000_000L + message.timestamp().getNano() / 1000;
        hit.put("timestamp_micros", micros);
        ObjectNode event = hit.putArray("events").addObject();
        JsonNode properties = message.message().path("properties");
        ObjectNode params = json.objectNode();
        String segmentName;
        Set<String> mapped = Set.of();
        switch (message.type()) {
            case "page" -> {
                event.put("name", "page_view");
                JsonNode page = message.message().path("context").path("page");
                putText(params, "page_location", firstText(properties, page, "url"));
                putText(params, "page_title", firstText(properties, page, "title"));
                putText(params, "page_referrer", firstText(properties, page, "referrer"));
                mapped = Set.of("url", "title", "referrer");
                segmentName = message.event() == null ? "Page" : message.event();
            }
            case "screen" -> {
                event.put("name", "screen_view");
                putText(params, "screen_name", message.event());
                segmentName = message.event() == null ? "Screen" : message.event();
            }
            case "group" -> {
                event.put("name", "join_group");
                putText(params, "group_id", text(message.message(), "groupId"));
                properties = message.message().path("traits");
                segmentName = "Group";
            }
            default -> {
                segmentName = message.event();
                String ga4 = GA4_NAMES.get(segmentName);
                event.put("name", ga4 != null ? ga4 : ga4Name(segmentName));
            }
        }
        putText(params, "segment_event", segmentName);
        if (properties.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext()
                    && params.size() < MAX_PARAMS; ) {
                Map.Entry<String, JsonNode> property = it.next();
                String name = ga4Name(property.getKey());
                JsonNode value = property.getValue();
                if (name.isEmpty() || mapped.contains(name) || params.has(name) || reserved(name) || !value.isValueNode()
                        || value.isNull()) {
                    continue;
                }
                if (value.isTextual()) {
                    // Google forbids personal data in events: an e-mail is never forwarded (the GA4 relay refuses it)
                    if (EMAIL_IN_TEXT.matcher(value.asText()).find()) {
                        continue;
                    }
                    putText(params, name, value.asText());
                } else {
                    params.set(name, value);
                }
            }
        }
        event.set("params", params);
        return CloudEvent.of(id, source, EventTypes.ANALYTICS_HIT, message.timestamp().toString(),
                Identifiers.sha256Hex(message.userId() != null ? message.userId() : message.anonymousId()),
                EventData.hit(hit));
    }

    private static boolean reserved(String name) {
        return RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** snake_case, letters, digits and underscores only, starting with a letter, at most 40 characters (GA4). */
    static String ga4Name(String name) {
        if (name == null) {
            return "";
        }
        String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_").replaceAll("^[^a-z]+", "").replaceAll("_+$", "");
        return snake.length() > MAX_NAME ? snake.substring(0, MAX_NAME).replaceAll("_+$", "") : snake;
    }

    private static void putText(ObjectNode params, String name, String value) {
        if (value != null && !value.isBlank() && params.size() < MAX_PARAMS) {
            params.put(name, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
        }
    }

    private static String firstText(JsonNode a, JsonNode b, String field) {
        String value = text(a, field);
        return value != null ? value : text(b, field);
    }

    private static String first(JsonNode a, JsonNode b, String... fields) {
        for (String field : fields) {
            String value = firstText(a, b, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static BigDecimal number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException("properties." + field + " is not a number");
        }
    }
}
