package io.marketingbus.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas of the canonical event types, shipped in the jar under {@code schemas/} and enforced on every
 * event before it is published (and again when a consumer reads one).
 */
public final class EventSchemas {

    private static final String ID_PREFIX = "https://marketing-bus.io/schemas/";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    /** Per known type, its schema: the class path is searched once per type, not on every event. */
    private final Map<String, JsonSchema> byType = new ConcurrentHashMap<>();

    /** The problems found, each as {@code path: message}; empty when the event is valid. */
    public List<String> validate(JsonNode event) {
        JsonNode type = event.get("type");
        if (type == null || !type.isTextual()) {
            return List.of("$.type: required, the event type");
        }
        JsonSchema schema = schemaFor(type.asText());
        if (schema == null) {
            return List.of("$.type: unknown event type '" + type.asText() + "'");
        }
        return schema.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private JsonSchema schemaFor(String type) {
        JsonSchema known = byType.get(type);
        if (known == null) {
            if (!type.matches("[a-z.-]+")) {
                return null;
            }
            if (getClass().getClassLoader().getResource("schemas/" + type + ".schema.json") == null) {
                // unknown types are not cached, so a flood of made-up types cannot grow the map
                return null;
            }
            known = byType.computeIfAbsent(type, t -> factory.getSchema(SchemaLocation.of(ID_PREFIX + t + ".schema.json")));
        }
        return known;
    }
}
