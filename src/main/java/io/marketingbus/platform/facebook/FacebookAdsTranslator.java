package io.marketingbus.platform.facebook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Opportunity;

/**
 * Opportunity events into Meta Marketing API calls (docs/platforms/facebook.md §3–§5): a Custom Audience users add
 * with the multi-key schema, and a Conversions API {@code Lead} whose {@code event_id} is the deal id, so Meta
 * keeps one lead per deal however often it is sent. Identifiers are normalised by Meta's rules (phone: digits with
 * country code, no {@code +}) and SHA-256 hashed; nothing leaves in clear.
 */
public final class FacebookAdsTranslator {

    static final List<String> SCHEMA = List.of("EMAIL", "PHONE", "FN", "LN", "COUNTRY");
    /** Meta rejects a whole Conversions API call holding an event older than this. */
    static final Duration CAPI_WINDOW = Duration.ofDays(7);

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String apiVersion;
    private final PixelEvents pixel;
    private final Clock clock;

    public FacebookAdsTranslator(String apiVersion, String pixelId, String testEventCode, Clock clock) {
        this.apiVersion = apiVersion;
        this.pixel = new PixelEvents(apiVersion, pixelId, testEventCode);
        this.clock = clock;
    }

    /** {@code POST /{version}/{audience-id}/users}: one row in the multi-key schema, all columns hashed. */
    public PlatformRequest toAudienceUsers(CloudEvent event, String audienceId) {
        Contact contact = event.data().contact();
        ObjectNode body = json.objectNode();
        ObjectNode payload = body.putObject("payload");
        ArrayNode schema = payload.putArray("schema");
        SCHEMA.forEach(schema::add);
        ArrayNode row = payload.putArray("data").addArray();
        row.add(hashOrEmpty(email(contact.email())));
        row.add(hashOrEmpty(phone(contact.phone())));
        row.add(hashOrEmpty(name(contact.firstName())));
        row.add(hashOrEmpty(name(contact.lastName())));
        row.add(hashOrEmpty(contact.country() == null ? null : contact.country().toLowerCase(Locale.ROOT)));
        ObjectNode session = body.putObject("session");
        session.put("session_id", sessionId(event.id()));
        session.put("batch_seq", 1);
        session.put("last_batch_flag", true);
        session.put("estimated_num_total", 1);
        return new PlatformRequest("POST", "/" + apiVersion + "/" + audienceId + "/users", null, body);
    }

    /**
     * {@code POST /{version}/{pixel-id}/events} with a {@code Lead} for a new deal; null for other events and for
     * events older than Meta's seven-day window (Meta would reject the call).
     */
    public PlatformRequest toLeadEvent(CloudEvent event) {
        if (!EventTypes.OPPORTUNITY_CREATED.equals(event.type())) {
            return null;
        }
        Instant time = Instant.parse(event.time());
        if (time.isBefore(clock.instant().minus(CAPI_WINDOW))) {
            return null;
        }
        Contact contact = event.data().contact();
        Opportunity opportunity = event.data().opportunity();
        PixelEvents.Call call = pixel.call();
        ObjectNode lead = call.event();
        lead.put("event_name", "Lead");
        lead.put("event_time", Math.min(time.getEpochSecond(), clock.instant().getEpochSecond()));
        lead.put("event_id", "hs-deal-" + opportunity.id());
        lead.put("action_source", "system_generated");
        ObjectNode userData = lead.putObject("user_data");
        userData.putArray("em").add(Identifiers.sha256Hex(email(contact.email())));
        if (phone(contact.phone()) != null) {
            userData.putArray("ph").add(Identifiers.sha256Hex(phone(contact.phone())));
        }
        if (contact.crmId() != null) {
            userData.putArray("external_id").add(Identifiers.sha256Hex("hs-contact-" + contact.crmId()));
        }
        ObjectNode custom = lead.putObject("custom_data");
        custom.put("lead_event_source", "HubSpot");
        custom.put("event_source", "crm");
        if (opportunity.amount() != null) {
            putNumber(custom, "value", opportunity.amount());
            custom.put("currency", opportunity.currency());
        }
        return call.request();
    }

    static String email(String email) {
        return Identifiers.normaliseEmail(email);
    }

    /** Meta: digits only, country code included, no {@code +} and no leading zeros. */
    static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9]", "").replaceFirst("^0+", "");
        return digits.isEmpty() ? null : digits;
    }

    /** Meta: lower case, no punctuation. */
    static String name(String name) {
        if (name == null) {
            return null;
        }
        String normalised = name.toLowerCase(Locale.ROOT).replaceAll("[\\p{Punct}\\s]", "");
        return normalised.isEmpty() ? null : normalised;
    }

    /** Whole amounts as integers (4800, not 4800.00), the form Meta's examples use. */
    static void putNumber(ObjectNode node, String name, java.math.BigDecimal value) {
        java.math.BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            node.put(name, stripped.longValueExact());
        } else {
            node.put(name, stripped.doubleValue());
        }
    }

    private static String hashOrEmpty(String value) {
        return value == null ? "" : Identifiers.sha256Hex(value);
    }

    /** The same event always uploads in the same session, so a retried upload is recognised as one. */
    static long sessionId(String eventId) {
        return Long.parseLong(Identifiers.sha256Hex(eventId).substring(0, 12), 16);
    }
}
