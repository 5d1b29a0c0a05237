package io.marketingbus.api.hooks;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.event.Subscription;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;
import org.apache.camel.Exchange;

/**
 * {@code POST /webhooks/<platform>/{source}} (docs/api-hooks.md "Inbound"): a Zap's "Webhooks by Zapier" action or a
 * Make scenario's HTTP module sending a contact, a purchase or a custom event. The source's secret comes in the
 * {@code X-Bus-Secret} header ({@code <platform>.sources = <source>=<secret>,...}, compared in constant time); the
 * body is JSON or a form, its {@code type} field saying which: {@code contact}, {@code purchase} or {@code event}.
 * The CloudEvents source is {@code /<platform>/<source>}; the id is {@code <prefix>-} and the first 32 hex of
 * SHA-256 of the source and the sender's {@code Idempotency-Key} header, else of the source and the body, so a
 * retried call is the same event.
 */
public class HookIngress {

    public static final String SECRET_HEADER = "X-Bus-Secret";
    public static final String TOPIC = "busIngressTopic";
    public static final String CUSTOM_EVENTS_TOPIC = "marketing.custom-events";
    static final int MAX_FIELDS = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> RESERVED = List.of("type", "event", "email", "time", "properties");

    private final String platform;
    private final String idPrefix;
    private final Map<String, byte[]> secrets;
    private final EventCodec codec;
    private final Clock clock;

    public HookIngress(String platform, String idPrefix, Map<String, String> secrets, EventCodec codec, Clock clock) {
        this.platform = platform;
        this.idPrefix = idPrefix;
        this.secrets = new LinkedHashMap<>();
        secrets.forEach((source, secret) -> this.secrets.put(source, secret.getBytes(StandardCharsets.UTF_8)));
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * {@code <source>=<secret>} pairs; in prod the docs' dev secret, or one under 16 characters, stops the start.
     *
     * @param devSecret the documented dev secret
     */
    public static Map<String, String> parseSources(String key, String setting, boolean sandboxed, String devSecret) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String entry : (setting == null ? "" : setting).split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String source = eq < 0 ? "" : trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String secret = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
            if (!source.matches("[a-z0-9-]{1,40}") || secret.isEmpty()) {
                throw new IllegalArgumentException(key + ": an entry is not <source>=<secret> (source: a-z, 0-9, -)");
            }
            if (!sandboxed && (secret.equals(devSecret) || secret.length() < 16)) {
                throw new InsecureSettingException(List.of(key + " (environment variable " + MissingSettingException.envName(key)
                        + "): the secret of " + source + " is the docs' dev secret or under 16 characters"));
            }
            sources.put(source, secret);
        }
        return sources;
    }

    public void authenticate(Exchange exchange) {
        String source = exchange.getMessage().getHeader("source", String.class);
        String presented = exchange.getMessage().getHeader(SECRET_HEADER, String.class);
        byte[] candidate = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        byte[] expected = source == null ? null : secrets.get(source);
        // compared even for an unknown source, against itself, so timing tells nothing
        boolean matches = MessageDigest.isEqual(expected == null ? candidate : expected, candidate);
        if (expected == null || !matches) {
            throw new WebhookRejectedException(401, "unknown source or wrong " + SECRET_HEADER, false);
        }
    }

    public void translate(Exchange exchange) {
        String source = exchange.getMessage().getHeader("source", String.class);
        String idempotencyKey = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        JsonNode body = body(exchange);
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String eventSource = "/" + platform + "/" + source;
        String id = idPrefix + "-" + Identifiers.sha256Hex(eventSource + "|" + (idempotencyKey != null && !idempotencyKey.isBlank()
                ? "key:" + idempotencyKey.trim() : "body:" + new String(raw, StandardCharsets.UTF_8))).substring(0, 32);
        String time = time(body);
        CloudEvent event;
        String topic;
        try {
            switch (text(body, "type") == null ? "" : text(body, "type").toLowerCase(Locale.ROOT)) {
                case "contact" -> {
                    event = contact(id, eventSource, source, time, body);
                    topic = "marketing.subscriptions";
                }
                case "purchase" -> {
                    event = purchase(id, eventSource, time, body);
                    topic = "marketing.purchases";
                }
                case "event" -> {
                    event = custom(id, eventSource, time, body);
                    topic = CUSTOM_EVENTS_TOPIC;
                }
                default -> throw new WebhookRejectedException(400, "field type must be contact, purchase or event", true);
            }
            byte[] json = codec.toJson(event);
            IngressExchange.prepareForBus(exchange, event, json);
        } catch (InvalidEventException | IllegalArgumentException e) {
            throw new WebhookRejectedException(400, e.getMessage(), true);
        }
        exchange.setProperty(TOPIC, topic);
    }

    private CloudEvent contact(String id, String eventSource, String source, String time, JsonNode body) {
        String email = email(body, true);
        String consent = text(body, "consent");
        String status = consent == null ? null : switch (consent.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "subscribed", "granted" -> "subscribed";
            case "false", "no", "0", "unsubscribed", "denied" -> "unsubscribed";
            default -> throw new IllegalArgumentException("consent must be true/yes/subscribed or false/no/unsubscribed");
        };
        String phone = text(body, "phone");
        String normalisedPhone = phone == null ? null : Identifiers.normalisePhone(phone);
        if (phone != null && (normalisedPhone == null || !normalisedPhone.matches("\\+?[0-9]{4,20}"))) {
            throw new IllegalArgumentException("phone is not a phone number");
        }
        String country = text(body, "country");
        if (country != null && !country.matches("[A-Za-z]{2}")) {
            throw new IllegalArgumentException("country must be an ISO 3166 two-letter code");
        }
        Contact contact = new Contact(email, text(body, "first_name"), text(body, "last_name"), normalisedPhone,
                country == null ? null : country.toUpperCase(Locale.ROOT), null, null,
                status == null ? null : new Contact.Consent(status, null));
        Subscription subscription = new Subscription(platform, source, null, "subscribed".equals(status) ? status : null, null, null);
        return CloudEvent.of(id, eventSource, "subscribed".equals(status) ? EventTypes.CONTACT_SUBSCRIBED
                : EventTypes.CONTACT_PROFILE_UPDATED, time, EventData.subscription(contact, subscription));
    }

    private CloudEvent purchase(String id, String eventSource, String time, JsonNode body) {
        String orderId = required(body, "order_id");
        if (orderId.length() > 100) {
            throw new IllegalArgumentException("order_id is longer than 100 characters");
        }
        BigDecimal total;
        try {
            total = new BigDecimal(required(body, "total"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("total is not a number");
        }
        if (total.signum() < 0) {
            throw new IllegalArgumentException("total is negative");
        }
        String currency = required(body, "currency").toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code (EUR)");
        }
        Conversion conversion = new Conversion(platform, orderId, total, currency, null, null, null, null, null, null,
                orderId, null, null, null);
        return CloudEvent.of(id, eventSource, EventTypes.PURCHASE_RECEIVED, time, Conversion.orderKey(orderId),
                EventData.purchaseReceived(new CustomerRef(email(body, true), null, null, null), conversion));
    }

    private CloudEvent custom(String id, String eventSource, String time, JsonNode body) {
        String name = required(body, "event");
        if (!name.matches("[A-Za-z0-9 _.:-]{1,64}")) {
            throw new IllegalArgumentException("event must be 1 to 64 letters, digits, spaces or _ . : -");
        }
        ObjectNode properties = MAPPER.createObjectNode();
        if (body.path("properties").isObject()) {
            properties.setAll((ObjectNode) body.get("properties"));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!RESERVED.contains(field.getKey())) {
                    properties.set(field.getKey(), field.getValue());
                }
            }
        }
        ObjectNode custom = MAPPER.createObjectNode();
        custom.put("event", name);
        custom.set("properties", properties);
        String email = email(body, false);
        Contact contact = email == null ? null : Contact.of(email, null, null, null, null);
        String subject = email == null ? Identifiers.sha256Hex(eventSource + "|" + name) : ContactKey.of(email);
        return CloudEvent.of(id, eventSource, EventTypes.CUSTOM_EVENT, time, subject, EventData.custom(contact, custom));
    }

    private String time(JsonNode body) {
        String time = text(body, "time");
        if (time == null) {
            return Instant.now(clock).toString();
        }
        try {
            return Instant.parse(time).toString();
        } catch (DateTimeParseException e) {
            throw new WebhookRejectedException(400, "time is not an ISO-8601 instant (2026-01-15T09:31:07Z)", true);
        }
    }

    private static String email(JsonNode body, boolean required) {
        String raw = required ? required(body, "email") : text(body, "email");
        if (raw == null) {
            return null;
        }
        String email = Identifiers.normaliseEmail(raw);
        if (!Identifiers.isEmail(email)) {
            throw new IllegalArgumentException("email is not an e-mail address");
        }
        return email;
    }

    private static String required(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null) {
            throw new IllegalArgumentException("field " + field + " is required");
        }
        return value;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    /** The body as JSON: a JSON object, or a form (platform-http hands it over as a map) as an object of strings. */
    private static JsonNode body(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> form) {
            ObjectNode fields = MAPPER.createObjectNode();
            form.forEach((k, v) -> fields.put(String.valueOf(k), v instanceof Collection<?> c
                    ? (c.isEmpty() ? "" : String.valueOf(c.iterator().next())) : v == null ? "" : String.valueOf(v)));
            exchange.setProperty(IngressExchange.RAW_REQUEST, fields.toString().getBytes(StandardCharsets.UTF_8));
            if (fields.size() > MAX_FIELDS) {
                throw new WebhookRejectedException(400, "more than " + MAX_FIELDS + " form fields", true);
            }
            return fields;
        }
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        raw = raw == null ? new byte[0] : raw;
        exchange.setProperty(IngressExchange.RAW_REQUEST, raw);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new WebhookRejectedException(415, "expected Content-Type application/json or "
                    + "application/x-www-form-urlencoded, got " + (contentType == null ? "none" : contentType), true);
        }
        JsonNode json = UntrustedJson.parse(raw);
        if (json == null || !json.isObject()) {
            throw new WebhookRejectedException(400, "the body must be a JSON object", true);
        }
        return json;
    }
}
