package io.marketingbus.api.hooks;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;

/**
 * The JSON a Zapier or Make hook receives: flat, as {@code bus-outbound-generic-event.json} (docs/api-hooks.md
 * "Payload"): {@code event_id}, {@code event_type}, {@code occurred_at}, {@code source}, {@code contact_key}, then
 * each member of the event's {@code data} as an object of scalars with snake_case names (deeper objects flattened
 * into {@code parent_child}, lists kept as lists), which Zapier and Make map field by field without a parser step.
 * Personal data: unless the hook asks for it ({@code personal-data} on a configured hook), every field whose name
 * holds {@code email} or {@code phone} is left out; {@code contact_key} (SHA-256 of the normalised e-mail) still
 * lets the receiving Zap match people.
 */
public final class HookPayloads {

    private final ObjectMapper mapper;

    public HookPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode flat(CloudEvent event, String originalId, boolean personalData) {
        ObjectNode out = mapper.createObjectNode();
        out.put("event_id", originalId);
        out.put("event_type", event.type());
        out.put("occurred_at", event.time());
        out.put("source", event.source());
        if (event.subject() != null && !event.subject().isBlank()) {
            out.put("contact_key", event.subject());
        }
        JsonNode data = mapper.valueToTree(event.data());
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isObject()) {
                ObjectNode flat = mapper.createObjectNode();
                flatten("", member.getValue(), flat, personalData);
                out.set(snake(member.getKey()), flat);
            } else if (!member.getValue().isNull() && (personalData || !personal(member.getKey()))) {
                out.set(snake(member.getKey()), member.getValue());
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, ObjectNode into, boolean personalData) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + snake(field.getKey());
            if (field.getValue().isNull() || (!personalData && personal(field.getKey()))) {
                continue;
            }
            if (field.getValue().isObject()) {
                flatten(name + "_", field.getValue(), into, personalData);
            } else {
                into.set(name, field.getValue());
            }
        }
    }

    static boolean personal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("email") || lower.contains("phone");
    }

    /** {@code firstName} → {@code first_name}. */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
    }
}
