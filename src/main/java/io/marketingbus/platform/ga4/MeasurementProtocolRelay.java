package io.marketingbus.platform.ga4;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;

/**
 * The GA4 Measurement Protocol relay's translator (docs/platforms/ga4.md §2–§4). It accepts what GA4's collect
 * endpoint accepts and validates it as GA4's validation server would (25 events, name and value lengths, reserved
 * names, 72-hour backdating), then produces the hit to forward, with every clear personal datum in
 * {@code user_data} normalised and SHA-256 hashed and any e-mail address elsewhere refused, and one
 * {@code marketing.purchase.received} event per conversion event.
 */
public final class MeasurementProtocolRelay {

    /** The CloudEvents source of purchases as the site reported them (see {@link EventSources}). */
    public static final String SOURCE = "/ga4/relay";
    /** The CloudEvents source of relayed hits. */
    public static final String HITS_SOURCE = "/ga4/relay/hits";

    static final int MAX_EVENTS = 25;
    static final int MAX_PARAMS = 25;
    static final int MAX_NAME = 40;
    static final int MAX_VALUE = 100;
    static final int MAX_USER_PROPERTIES = 25;
    static final Duration MAX_BACKDATE = Duration.ofHours(72);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final List<String> RESERVED_PREFIXES = List.of("_", "firebase_", "ga_", "google_", "gtag.");
    private static final Set<String> RESERVED_EVENTS = Set.of("ad_activeview", "ad_click", "ad_exposure", "ad_query",
            "ad_reward", "adunit_exposure", "app_clear_data", "app_exception", "app_install", "app_remove",
            "app_store_refund", "app_update", "app_upgrade", "dynamic_link_app_open", "dynamic_link_app_update",
            "dynamic_link_first_open", "error", "first_open", "first_visit", "in_app_purchase", "notification_dismiss",
            "notification_foreground", "notification_open", "notification_receive", "os_update", "session_start",
            "screen_view", "user_engagement");

    /** GA4 reserves the event name for its own collection (screen_view: the Firebase SDK's); the Measurement Protocol refuses it. */
    public static boolean reservedEvent(String name) {
        return RESERVED_EVENTS.contains(name);
    }
    private static final Set<String> TOP_LEVEL = Set.of("client_id", "app_instance_id", "user_id", "timestamp_micros",
            "user_properties", "consent", "non_personalized_ads", "user_data", "events", "user_location", "device",
            "ip_override", "validation_behavior");

    /** What the relay makes of one hit. */
    public record Relayed(JsonNode hit, List<CloudEvent> purchases, String clientKey) {
    }

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Set<String> conversionEvents;
    private final Clock clock;

    public MeasurementProtocolRelay(Set<String> conversionEvents, Clock clock) {
        this.conversionEvents = Set.copyOf(conversionEvents);
        this.clock = clock;
    }

    /**
     * Checks a hit as GA4's validation server would (fields, ids, 72-hour window, 25 events, names, params,
     * values, user properties, no e-mail outside {@code user_data}) and answers its time.
     *
     * @throws InvalidHitException naming the first problem, as GA4's validation messages do
     */
    public Instant validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidHitException("the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!TOP_LEVEL.contains(f)) {
                throw new InvalidHitException("unknown field '" + f + "'");
            }
        });
        String clientId = text(body, "client_id");
        String appInstance = text(body, "app_instance_id");
        if (clientId == null && appInstance == null) {
            throw new InvalidHitException("client_id is required (app_instance_id for app streams)");
        }
        Instant time = time(body);
        JsonNode events = body.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw new InvalidHitException("events must be a non-empty array");
        }
        if (events.size() > MAX_EVENTS) {
            throw new InvalidHitException("at most " + MAX_EVENTS + " events per request, got " + events.size());
        }
        userProperties(body.get("user_properties"));
        for (JsonNode event : events) {
            validateEvent(event);
        }
        return time;
    }

    /** @throws InvalidHitException naming the first problem, as GA4's validation messages do */
    public Relayed relay(JsonNode body) {
        Instant time = validate(body);
        String clientId = text(body, "client_id");
        String appInstance = text(body, "app_instance_id");
        JsonNode events = body.get("events");
        ObjectNode forwarded = body.deepCopy();
        CustomerRef customer = new CustomerRef(null, null, text(body, "user_id"), clientId);
        if (body.has("user_data")) {
            UserData userData = hashUserData(body.get("user_data"));
            forwarded.set("user_data", userData.hashed());
            customer = new CustomerRef(userData.email(), userData.phone(), customer.userId(), clientId);
        }
        List<CloudEvent> purchases = new ArrayList<>();
        String clientKey = Identifiers.sha256Hex("ga4-client-" + (clientId != null ? clientId : appInstance));
        for (JsonNode event : events) {
            if (conversionEvents.contains(event.get("name").asText())) {
                purchases.add(purchase(event.path("params"), customer, time, clientKey));
            }
        }
        return new Relayed(forwarded, purchases, clientKey);
    }

    /** The cleaned hit, for GA4's collect endpoint; the connector adds measurement_id and api_secret. */
    public io.marketingbus.delivery.PlatformRequest forwardRequest(CloudEvent hitEvent) {
        return new io.marketingbus.delivery.PlatformRequest("POST", "/mp/collect", null, hitEvent.data().hit());
    }

    private CloudEvent purchase(JsonNode params, CustomerRef customer, Instant time, String clientKey) {
        String transactionId = text(params, "transaction_id");
        if (transactionId == null) {
            throw new InvalidHitException("a purchase needs params.transaction_id");
        }
        BigDecimal value = number(params, "value");
        String currency = text(params, "currency");
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new InvalidHitException("a purchase needs params.currency, an ISO 4217 code");
        }
        if (customer.email() == null && customer.userId() == null) {
            throw new InvalidHitException("a purchase needs user_id or user_data.email_address to find the customer");
        }
        List<Conversion.Item> items = new ArrayList<>();
        for (JsonNode item : params.path("items")) {
            items.add(new Conversion.Item(text(item, "item_id"), text(item, "item_name"), number(item, "price"),
                    item.path("quantity").canConvertToInt() ? item.get("quantity").asInt() : null));
        }
        Conversion conversion = new Conversion("ga4", transactionId, value, currency, number(params, "tax"),
                number(params, "shipping"), text(params, "coupon"), items.isEmpty() ? null : items, null, null);
        // keyed by the order, as the stores' copies are: the same order from a store and from GA4 meet in one partition
        return CloudEvent.of("ga4-" + transactionId, SOURCE, EventTypes.PURCHASE_RECEIVED, time.toString(),
                Conversion.orderKey(transactionId), EventData.purchaseReceived(customer, conversion));
    }

    private Instant time(JsonNode body) {
        JsonNode micros = body.get("timestamp_micros");
        Instant now = clock.instant();
        if (micros == null) {
            return now;
        }
        long value;
        try {
            value = Long.parseLong(micros.asText());
        } catch (NumberFormatException e) {
            throw new InvalidHitException("timestamp_micros must be microseconds since the epoch");
        }
        Instant time = Instant.ofEpochSecond(value / 1_000_000, (value % 1_000_000) * 1000);
        if (time.isBefore(now.minus(MAX_BACKDATE)) || time.isAfter(now.plusSeconds(60))) {
            throw new InvalidHitException("timestamp_micros " + value + " is more than 72 hours in the past or in the future: "
                    + "GA4 takes " + now.minus(MAX_BACKDATE) + " to " + now.plusSeconds(60));
        }
        return time;
    }

    private void validateEvent(JsonNode event) {
        String name = text(event, "name");
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches() || reserved(name)
                || RESERVED_EVENTS.contains(name)) {
            throw new InvalidHitException("event name '" + name + "' is missing, too long or reserved");
        }
        JsonNode params = event.path("params");
        if (params.isMissingNode()) {
            return;
        }
        if (!params.isObject() || params.size() > MAX_PARAMS) {
            throw new InvalidHitException("event " + name + ": params must be an object of at most " + MAX_PARAMS);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            if (param.getKey().length() > MAX_NAME || reserved(param.getKey())) {
                throw new InvalidHitException("event " + name + ": param name '" + param.getKey() + "' is too long or reserved");
            }
            requireNoEmail(param.getValue(), "event " + name + " param " + param.getKey());
            if (param.getValue().isTextual() && param.getValue().asText().length() > MAX_VALUE) {
                throw new InvalidHitException("event " + name + ": param " + param.getKey() + " is over " + MAX_VALUE + " characters");
            }
        }
    }

    private void userProperties(JsonNode properties) {
        if (properties == null) {
            return;
        }
        if (!properties.isObject() || properties.size() > MAX_USER_PROPERTIES) {
            throw new InvalidHitException("user_properties must be an object of at most " + MAX_USER_PROPERTIES);
        }
        properties.fields().forEachRemaining(p -> {
            if (p.getKey().length() > 24 || reserved(p.getKey())) {
                throw new InvalidHitException("user property name '" + p.getKey() + "' is too long or reserved");
            }
            requireNoEmail(p.getValue(), "user property " + p.getKey());
            if (p.getValue().path("value").asText("").length() > 36) {
                throw new InvalidHitException("user property " + p.getKey() + " is over 36 characters");
            }
        });
    }

    /** Google forbids personal data in events; an address found there is refused, never forwarded. */
    private static void requireNoEmail(JsonNode value, String where) {
        if (value.isTextual() && EMAIL_IN_TEXT.matcher(value.asText()).find()) {
            throw new InvalidHitException(where + " holds an e-mail address: personal data belongs in user_data only");
        }
        if (value.isContainerNode()) {
            value.forEach(v -> requireNoEmail(v, where));
        }
    }

    private record UserData(ObjectNode hashed, String email, String phone) {
    }

    /**
     * GA4 user-provided data: e-mails trimmed and lower-cased, phones in E.164 with {@code +}, names and street
     * lower-cased, all SHA-256; city, region, postal code and country stay clear, as GA4 expects them.
     */
    private UserData hashUserData(JsonNode userData) {
        if (!userData.isObject()) {
            throw new InvalidHitException("user_data must be an object");
        }
        ObjectNode out = json.objectNode();
        String firstEmail = null;
        String firstPhone = null;
        ArrayNode emails = json.arrayNode();
        for (JsonNode e : values(userData.get("email_address"))) {
            String email = Identifiers.normaliseEmail(e.asText());
            if (!Identifiers.isEmail(email)) {
                throw new InvalidHitException("user_data.email_address is not an e-mail address");
            }
            firstEmail = firstEmail == null ? email : firstEmail;
            emails.add(Identifiers.sha256Hex(email));
        }
        values(userData.get("sha256_email_address")).forEach(h -> emails.add(hashed(h, "sha256_email_address")));
        ArrayNode phones = json.arrayNode();
        for (JsonNode p : values(userData.get("phone_number"))) {
            String phone = Identifiers.normalisePhone(p.asText());
            if (phone == null || !phone.startsWith("+")) {
                throw new InvalidHitException("user_data.phone_number must be E.164, with + and country code");
            }
            firstPhone = firstPhone == null ? phone : firstPhone;
            phones.add(Identifiers.sha256Hex(phone));
        }
        values(userData.get("sha256_phone_number")).forEach(h -> phones.add(hashed(h, "sha256_phone_number")));
        if (!emails.isEmpty()) {
            out.set("sha256_email_address", emails);
        }
        if (!phones.isEmpty()) {
            out.set("sha256_phone_number", phones);
        }
        ArrayNode addresses = json.arrayNode();
        for (JsonNode address : values(userData.get("address"))) {
            ObjectNode a = addresses.addObject();
            hashField(address, a, "first_name");
            hashField(address, a, "last_name");
            hashField(address, a, "street");
            for (String clear : List.of("city", "region", "postal_code", "country")) {
                if (address.hasNonNull(clear)) {
                    a.put(clear, address.get(clear).asText().trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!addresses.isEmpty()) {
            out.set("address", addresses);
        }
        userData.fieldNames().forEachRemaining(f -> {
            if (!Set.of("email_address", "sha256_email_address", "phone_number", "sha256_phone_number", "address").contains(f)) {
                throw new InvalidHitException("unknown user_data field '" + f + "'");
            }
        });
        return new UserData(out, firstEmail, firstPhone);
    }

    private static void hashField(JsonNode address, ObjectNode out, String field) {
        if (address.hasNonNull(field)) {
            out.put("sha256_" + field, Identifiers.sha256Hex(address.get(field).asText().trim().toLowerCase(Locale.ROOT)));
        } else if (address.hasNonNull("sha256_" + field)) {
            out.put("sha256_" + field, hashed(address.get("sha256_" + field), "address.sha256_" + field));
        }
    }

    private static String hashed(JsonNode value, String field) {
        if (!value.isTextual() || !value.asText().matches("[0-9a-f]{64}")) {
            throw new InvalidHitException("user_data." + field + " must be a lower-case SHA-256 hex digest");
        }
        return value.asText();
    }

    private Iterable<JsonNode> values(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        return node.isArray() ? node : List.of(node);
    }

    private static boolean reserved(String name) {
        return RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        return value.asText().trim();
    }

    private static BigDecimal number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            try {
                return new BigDecimal(value.asText());
            } catch (NumberFormatException e) {
                throw new InvalidHitException(field + " must be a number");
            }
        }
        return value.decimalValue();
    }
}
