package io.marketingbus.api.stream;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketingbus.event.Identifiers;

/**
 * The JSON frames of {@code /v1/stream}, with every e-mail and phone masked: {@code event} (an event published on
 * the bus, from its topic) and {@code outcome} (a delivery record: accepted at ingress, delivered, filtered, retried
 * or dead-lettered by a destination).
 */
public final class StreamFrames {

    /** The records' outcome names as the stream says them (a routing rule's skip is a filter). */
    static final Map<String, String> OUTCOMES = Map.of("accepted", "accepted", "delivered", "delivered",
            "skipped", "filtered", "retried", "retried", "dead-lettered", "dead-lettered",
            "dead_lettered", "dead-lettered");

    private final ObjectMapper mapper;

    public StreamFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An event frame from a CloudEvents record of a bus topic; null when the record is no readable event. */
    public ObjectNode event(String topic, byte[] value) {
        JsonNode event;
        try {
            event = mapper.readTree(value);
        } catch (Exception e) {
            return null;
        }
        if (event == null || !event.isObject() || !event.hasNonNull("id") || !event.hasNonNull("type")) {
            return null;
        }
        ObjectNode frame = mapper.createObjectNode().put("kind", "event");
        for (String field : new String[] {"id", "type", "source", "subject", "time"}) {
            if (event.hasNonNull(field)) {
                frame.put(field, masked(field, event.get(field).asText()));
            }
        }
        frame.put("topic", topic);
        if (event.has("data")) {
            frame.set("data", mask(event.get("data").deepCopy(), null));
        }
        return frame;
    }

    /** An outcome frame from a delivery record; null for a record the stream does not show. */
    public ObjectNode outcome(JsonNode record) {
        String outcome = OUTCOMES.get(record.path("outcome").asText());
        if (outcome == null || !record.hasNonNull("eventId")) {
            return null;
        }
        ObjectNode frame = mapper.createObjectNode().put("kind", "outcome")
                .put("eventId", record.get("eventId").asText());
        copy(record, frame, "type");
        copy(record, frame, "source");
        copy(record, frame, "stage");
        frame.put("outcome", outcome);
        if (record.hasNonNull("reason")) {
            frame.put("reason", maskText(record.get("reason").asText()));
        }
        if (record.hasNonNull("attempt")) {
            frame.put("attempt", record.get("attempt").asInt());
        }
        if (record.hasNonNull("httpStatus")) {
            frame.put("httpStatus", record.get("httpStatus").asInt());
        }
        copy(record, frame, "at");
        return frame;
    }

    /** The frame a subscriber gets once it can read again after frames were dropped. */
    public String dropped(long count) {
        return mapper.createObjectNode().put("kind", "dropped").put("count", count).toString();
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.put(field, maskText(from.get(field).asText()));
        }
    }

    /** Masks in place, recursively: fields named like an e-mail or a phone, and e-mails inside any text. */
    public static JsonNode mask(JsonNode node, String field) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                entry.setValue(mask(entry.getValue(), entry.getKey()));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i), field));
            }
            return array;
        }
        if (node != null && node.isTextual()) {
            return TextNode.valueOf(masked(field, node.asText()));
        }
        if (node != null && node.isNumber() && isPhoneField(field)) {
            return TextNode.valueOf(Identifiers.maskPhone(node.asText()));
        }
        return node;
    }

    static String masked(String field, String value) {
        if (isPhoneField(field)) {
            return Identifiers.maskPhone(value);
        }
        if (field != null && field.toLowerCase(Locale.ROOT).contains("email") && Identifiers.isEmail(value.trim())) {
            return Identifiers.maskEmail(value.trim());
        }
        return Identifiers.maskEmailsIn(value);
    }

    /** Hashed identifiers (64 or 32 hex) stay as they are: they are what the platforms receive, not the number. */
    private static boolean isPhoneField(String field) {
        if (field == null) {
            return false;
        }
        String name = field.toLowerCase(Locale.ROOT);
        return (name.contains("phone") || name.contains("mobile") || name.equals("msisdn") || name.equals("wa_id"))
                && !name.contains("hash") && !name.contains("sha");
    }

    public static String maskText(String text) {
        return Identifiers.maskPhonesIn(Identifiers.maskEmailsIn(text));
    }
}
