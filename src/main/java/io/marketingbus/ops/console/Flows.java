package io.marketingbus.ops.console;

import java.util.List;
import java.util.Map;

/**
 * Which flow an event belongs to, from its type (or a delivery topic): the console's rows group by it. One small
 * table; a type no entry knows is "custom".
 */
public final class Flows {

    public static final String UNPARSED = "unparsed";

    /** Type prefixes, most specific first; flow 1 contacts, flow 2 opportunities, flow 3 purchases. */
    private static final List<Map.Entry<String, String>> BY_TYPE = List.of(
            Map.entry("marketing.contact.messaging-", "messaging"),
            Map.entry("marketing.message.", "messaging"),
            Map.entry("marketing.contact.", "contacts"),
            Map.entry("marketing.opportunity.", "opportunities"),
            Map.entry("marketing.deal.", "opportunities"),
            Map.entry("marketing.purchase.", "purchases"),
            Map.entry("marketing.conversion.", "purchases"),
            Map.entry("marketing.analytics.", "analytics"),
            Map.entry("marketing.identity.", "analytics"),
            Map.entry("marketing.product.", "commerce"));

    private static final Map<String, String> BY_TOPIC = Map.of(
            "marketing.subscriptions", "contacts",
            "marketing.opportunities", "opportunities",
            "marketing.deal-changes", "opportunities",
            "marketing.purchases", "purchases",
            "marketing.conversions", "purchases",
            "marketing.analytics-hits", "analytics",
            "marketing.products", "commerce");

    private Flows() {
    }

    /** @param type the event's type; null for a request refused before it had one */
    public static String ofType(String type) {
        if (type == null || type.isBlank()) {
            return UNPARSED;
        }
        for (var entry : BY_TYPE) {
            if (type.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return "custom";
    }

    public static String ofTopic(String topic) {
        return BY_TOPIC.getOrDefault(topic, "custom");
    }
}
