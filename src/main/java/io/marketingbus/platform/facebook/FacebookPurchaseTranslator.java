package io.marketingbus.platform.facebook;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;

/**
 * A purchase into a Conversions API {@code Purchase} (docs/platforms/facebook.md §4, §11): {@code event_id} is the
 * order's transaction id, the id the site's pixel sends as its {@code eventID}, so Meta keeps one of the two;
 * {@code user_data} hashed as flow 2's leads ({@link FacebookAdsTranslator}'s normalisation), the browser facts a store
 * recorded ({@code client_ip_address}, {@code client_user_agent}, {@code fbc}, {@code fbp}) clear, as Meta takes them;
 * {@code action_source website} when the store recorded the browser's user agent and the page (what Meta requires of a
 * website event), else {@code system_generated}. Merged by
 * {@link FacebookConversionEvents}. Consent and test orders are decided by the route
 * ({@code routes/flows/conversion-meta.camel.yaml}).
 */
public final class FacebookPurchaseTranslator {

    private final PixelEvents pixel;
    private final Clock clock;

    public FacebookPurchaseTranslator(String apiVersion, String pixelId, String testEventCode, Clock clock) {
        this.pixel = new PixelEvents(apiVersion, pixelId, testEventCode);
        this.clock = clock;
    }

    /**
     * {@code POST /{version}/{pixel-id}/events} with the purchase.
     *
     * @throws InvalidEventException when the purchase is older than Meta's seven days, or has no value or currency
     *                               (Meta would refuse the whole call), or names no customer
     */
    public PlatformRequest toPurchaseEvent(CloudEvent event) {
        Conversion conversion = event.data().conversion();
        Contact contact = event.data().contact();
        Instant time = Instant.parse(event.time());
        Instant now = clock.instant();
        if (time.isBefore(now.minus(FacebookAdsTranslator.CAPI_WINDOW))) {
            throw new InvalidEventException("purchase " + conversion.transactionId() + " of " + event.time()
                    + " is older than the 7 days Meta's Conversions API takes (one such event fails the whole call)");
        }
        if (contact == null || contact.email() == null) {
            throw new InvalidEventException("purchase " + conversion.transactionId() + " names no customer e-mail");
        }
        if (conversion.value() == null || conversion.currency() == null) {
            // Meta refuses a Purchase without them, and with it the whole call
            throw new InvalidEventException("purchase " + conversion.transactionId()
                    + " has no value or currency, which Meta requires of a Purchase");
        }
        PixelEvents.Call call = pixel.call();
        ObjectNode purchase = call.event();
        purchase.put("event_name", "Purchase");
        purchase.put("event_time", Math.min(time.getEpochSecond(), now.getEpochSecond()));
        purchase.put("event_id", conversion.transactionId());
        Conversion.Web web = conversion.web();
        // Meta requires the browser's user agent and the page of a website event
        boolean website = web != null && web.userAgent() != null && web.url() != null;
        purchase.put("action_source", website ? "website" : "system_generated");
        if (website) {
            purchase.put("event_source_url", web.url());
        }
        ObjectNode userData = purchase.putObject("user_data");
        hashed(userData, "em", FacebookAdsTranslator.email(contact.email()));
        hashed(userData, "ph", FacebookAdsTranslator.phone(contact.phone()));
        hashed(userData, "fn", FacebookAdsTranslator.name(contact.firstName()));
        hashed(userData, "ln", FacebookAdsTranslator.name(contact.lastName()));
        hashed(userData, "zp", contact.postalCode() == null ? null
                : contact.postalCode().toLowerCase(Locale.ROOT).replaceAll("[\\s-]", ""));
        hashed(userData, "country", contact.country() == null ? null : contact.country().toLowerCase(Locale.ROOT));
        hashed(userData, "external_id", contact.crmId() == null ? null : "hs-contact-" + contact.crmId());
        if (web != null) {
            clear(userData, "client_ip_address", web.clientIp());
            clear(userData, "client_user_agent", web.userAgent());
            clear(userData, "fbc", web.fbc());
            clear(userData, "fbp", web.fbp());
        }
        ObjectNode custom = purchase.putObject("custom_data");
        custom.put("currency", conversion.currency());
        FacebookAdsTranslator.putNumber(custom, "value", conversion.value());
        custom.put("order_id", conversion.orderId() != null ? conversion.orderId() : conversion.transactionId());
        if (conversion.items() != null && !conversion.items().isEmpty()) {
            custom.put("content_type", "product");
            ArrayNode contents = custom.putArray("contents");
            for (Conversion.Item item : conversion.items()) {
                ObjectNode content = contents.addObject();
                content.put("id", item.id());
                content.put("quantity", item.quantity() == null ? 1 : item.quantity());
                if (item.price() != null) {
                    FacebookAdsTranslator.putNumber(content, "item_price", item.price());
                }
            }
        }
        return call.request();
    }

    private static void hashed(ObjectNode userData, String field, String normalised) {
        if (normalised != null && !normalised.isEmpty()) {
            userData.putArray(field).add(Identifiers.sha256Hex(normalised));
        }
    }

    private static void clear(ObjectNode userData, String field, String value) {
        if (value != null && !value.isBlank()) {
            userData.put(field, value);
        }
    }
}
