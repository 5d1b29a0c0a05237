package io.marketingbus.platform.mailchimp;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Subscription;

/**
 * Mailchimp audience webhooks (docs/platforms/mailchimp.md §1–§2) into canonical contact events. {@code campaign} webhooks
 * are about sends, not people: they translate to nothing.
 */
public final class MailchimpWebhookTranslator {

    public static final String PLATFORM = "mailchimp";
    private static final DateTimeFormatter FIRED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * @return the canonical event, or empty for a webhook the bus acknowledges without forwarding
     * @throws MalformedWebhookException when a field the event needs is missing or invalid
     */
    public Optional<CloudEvent> toCanonical(MailchimpWebhook webhook) {
        String type = require(webhook.type(), "type");
        if ("campaign".equals(type)) {
            return Optional.empty();
        }
        String time = firedAt(webhook.firedAt());
        String listId = require(webhook.field("list_id"), "data[list_id]");

        CloudEvent event = switch (type) {
            case "subscribe" -> memberEvent(webhook, EventTypes.CONTACT_SUBSCRIBED, "subscribed", null, time, listId);
            case "unsubscribe" -> memberEvent(webhook, EventTypes.CONTACT_UNSUBSCRIBED,
                    "delete".equals(webhook.field("action")) ? "archived" : "unsubscribed",
                    webhook.field("reason"), time, listId);
            case "profile" -> memberEvent(webhook, EventTypes.CONTACT_PROFILE_UPDATED, null, null, time, listId);
            case "cleaned" -> memberEvent(webhook, EventTypes.CONTACT_CLEANED, "cleaned", webhook.field("reason"),
                    time, listId);
            case "upemail" -> emailChanged(webhook, time, listId);
            default -> throw new MalformedWebhookException("unknown Mailchimp webhook type '" + type + "'");
        };
        return Optional.of(event);
    }

    private CloudEvent memberEvent(MailchimpWebhook webhook, String eventType, String status, String reason,
                                   String time, String listId) {
        String email = email(webhook.field("email") != null ? webhook.field("email") : webhook.merge("EMAIL"),
                "data[email]");
        Contact contact = Contact.of(email, webhook.merge("FNAME"), webhook.merge("LNAME"),
                Identifiers.normalisePhone(webhook.merge("PHONE")),
                status == null ? null : new Contact.Consent(status, null));
        String memberId = webhook.field("id") != null ? webhook.field("id") : Identifiers.md5Hex(email);
        Subscription subscription = new Subscription(PLATFORM, listId, memberId, status, reason, null);
        return CloudEvent.of(eventId(webhook, listId, email), source(listId), eventType, time,
                EventData.subscription(contact, subscription));
    }

    private CloudEvent emailChanged(MailchimpWebhook webhook, String time, String listId) {
        String newEmail = email(webhook.field("new_email"), "data[new_email]");
        String oldEmail = email(webhook.field("old_email"), "data[old_email]");
        String memberId = webhook.field("new_id") != null ? webhook.field("new_id") : Identifiers.md5Hex(newEmail);
        Contact contact = Contact.of(newEmail, null, null, null, null);
        Subscription subscription = new Subscription(PLATFORM, listId, memberId, null, null, oldEmail);
        return CloudEvent.of(eventId(webhook, listId, oldEmail + ">" + newEmail), source(listId),
                EventTypes.CONTACT_EMAIL_CHANGED, time, EventData.subscription(contact, subscription));
    }

    /**
     * Mailchimp sends no event id, so the id is a hash of what identifies the webhook: the same webhook re-sent
     * (Mailchimp retries for 75 minutes) gets the same id.
     */
    static String eventId(MailchimpWebhook webhook, String listId, String who) {
        String material = String.join("|", PLATFORM, webhook.type(), webhook.firedAt(), listId, who);
        return "mc-" + Identifiers.sha256Hex(material).substring(0, 32);
    }

    private static String source(String listId) {
        return "/mailchimp/lists/" + listId;
    }

    /** Mailchimp's {@code fired_at} has no zone; Mailchimp stamps it in UTC. */
    private static String firedAt(String firedAt) {
        require(firedAt, "fired_at");
        try {
            return LocalDateTime.parse(firedAt, FIRED_AT).atOffset(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new MalformedWebhookException("fired_at '" + firedAt + "' is not YYYY-MM-DD HH:MM:SS");
        }
    }

    private static String email(String value, String field) {
        String email = Identifiers.normaliseEmail(require(value, field));
        if (!Identifiers.isEmail(email)) {
            throw new MalformedWebhookException(field + " is not an e-mail address");
        }
        return email;
    }

    private static String require(String value, String field) {
        if (value == null) {
            throw new MalformedWebhookException("missing " + field);
        }
        return value;
    }
}
