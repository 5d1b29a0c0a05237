package io.marketingbus.platform.mailchimp;

import java.util.Map;

/**
 * One Mailchimp audience webhook, its form fields nested: {@code data[merges][FNAME]} is
 * {@code data().get("merges").get("FNAME")}.
 *
 * @param firedAt as sent, {@code YYYY-MM-DD HH:MM:SS}
 */
public record MailchimpWebhook(String type, String firedAt, Map<String, Object> data) {

    public static MailchimpWebhook of(Map<String, Object> fields) {
        Object data = fields.get("data");
        @SuppressWarnings("unchecked")
        Map<String, Object> dataMap = data instanceof Map ? (Map<String, Object>) data : Map.of();
        return new MailchimpWebhook(text(fields.get("type")), text(fields.get("fired_at")), dataMap);
    }

    public String field(String name) {
        return text(data.get(name));
    }

    public String merge(String name) {
        Object merges = data.get("merges");
        return merges instanceof Map<?, ?> m ? text(m.get(name)) : null;
    }

    private static String text(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        String trimmed = s.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
