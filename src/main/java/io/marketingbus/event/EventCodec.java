package io.marketingbus.event;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Canonical events to and from their JSON bytes on the bus. Every event is checked against its type's schema when
 * the bus writes it ({@link #toJson}), and its record is stamped {@link #CHECKED_HEADER}; a reader trusts that stamp
 * ({@link #read}) and checks only records that lack it (written by something other than the bus).
 */
public final class EventCodec {

    /** Record header of events the bus checked against their schema when it wrote them. */
    public static final String CHECKED_HEADER = "bus-schema-checked";

    /**
     * Also writes platform requests (PlatformCalls). Money is written as plain decimals (100, 100.50), never
     * {@code 1E+2}: trees keep a BigDecimal's scale and the generator writes it without an exponent.
     */
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private final EventSchemas schemas;

    public EventCodec(EventSchemas schemas) {
        this.schemas = schemas;
    }

    /** Serialises an event after checking it against its type's schema. */
    public byte[] toJson(CloudEvent event) {
        JsonNode tree = mapper.valueToTree(event);
        List<String> problems = schemas.validate(tree);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("event " + event.id() + " of type " + event.type()
                    + " breaks its schema: " + String.join("; ", problems));
        }
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new InvalidEventException("event " + event.id() + " cannot be written as JSON: " + e.getMessage());
        }
    }

    /**
     * Reads an event from the bus. A record the bus checked when writing it is bound straight to the event (one
     * pass, no tree, no second schema check); any other is {@linkplain #parse parsed and checked}.
     */
    public CloudEvent read(byte[] json, boolean checkedOnWrite) {
        if (!checkedOnWrite) {
            return parse(json);
        }
        try {
            CloudEvent event = mapper.readValue(json, CloudEvent.class);
            if (event == null || event.id() == null || event.type() == null) {
                throw new InvalidEventException("record is not a canonical event (no id or type)");
            }
            return event;
        } catch (IOException e) {
            throw new InvalidEventException("record cannot be read as a canonical event: " + e.getMessage());
        }
    }

    /** True when a record's headers carry the bus's {@link #CHECKED_HEADER} stamp. */
    public static boolean checkedOnWrite(Object stamp) {
        return stamp instanceof byte[] bytes ? bytes.length == 1 && bytes[0] == '1' : "1".equals(stamp);
    }

    /** Reads an event and checks it against its schema; a record that is not a valid one is rejected with the reason. */
    public CloudEvent parse(byte[] json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException("record is not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("record is not a JSON object");
        }
        List<String> problems = schemas.validate(tree);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("record breaks the canonical event schema: " + String.join("; ", problems));
        }
        try {
            return mapper.treeToValue(tree, CloudEvent.class);
        } catch (IOException e) {
            throw new InvalidEventException("record cannot be read as a canonical event: " + e.getMessage());
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
