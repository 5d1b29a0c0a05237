package io.marketingbus.api.tracking;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Segment-spec call (identify, track, page, screen, group, alias) as the tracking API accepted it: the write
 * key resolved to its source, required fields checked, {@code timestamp} corrected by the sender's clock skew
 * ({@code receivedAt - sentAt}), the tracking plan applied. What the API hands to {@link TrackingTranslator}.
 *
 * @param source     the source's name from {@code tracking.sources} (the write key never goes further than the API)
 * @param type       {@code identify|track|page|screen|group|alias}
 * @param messageId  the sender's {@code messageId} (one is made from the content when the sender sent none)
 * @param timestamp  when it happened, skew-corrected
 * @param receivedAt when the bus received the call
 * @param message    the message as sent (minus {@code writeKey}), for the fields a translator reads:
 *                   {@code userId, anonymousId, event, name, properties, traits, context, previousId, groupId}
 * @param violations the tracking plan's findings for a source in {@code flag} mode (empty otherwise)
 */
public record TrackedMessage(String source, String type, String messageId, Instant timestamp, Instant receivedAt,
                             ObjectNode message, List<String> violations) {

    public String userId() {
        return text("userId");
    }

    public String anonymousId() {
        return text("anonymousId");
    }

    /** {@code track}'s event name, {@code page}/{@code screen}'s name; null for the others. */
    public String event() {
        return "track".equals(type) ? text("event") : text("name");
    }

    private String text(String field) {
        var node = message.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
