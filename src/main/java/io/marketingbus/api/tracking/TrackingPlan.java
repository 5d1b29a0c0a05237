package io.marketingbus.api.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The tracking plan (Segment sells it as Protocols): a folder of JSON Schemas ({@code tracking.plan.dir}), one per
 * {@code track} event name, the file named as the event ({@code Order Completed.json}) or its slug
 * ({@code order-completed.json}); each schema describes the whole call as sent (so the event's fields are under
 * {@code properties.properties}, as in Segment's). Per source a mode ({@code tracking.plan.modes}): {@code allow}
 * (default: not checked), {@code flag} (accepted, the violations in the record header {@code bus-tracking-violations})
 * or {@code block} (refused, dead-lettered with the violations). An event without a schema is unplanned: allowed
 * unless {@code tracking.plan.unplanned = block}.
 */
public final class TrackingPlan {

    public enum Mode { ALLOW, FLAG, BLOCK }

    /** What the plan says of one message: the mode that applies and the violations (empty: conforms or unchecked). */
    public record Verdict(Mode mode, List<String> violations) {
        public boolean blocked() {
            return mode == Mode.BLOCK && !violations.isEmpty();
        }
    }

    private static final Verdict ALLOWED = new Verdict(Mode.ALLOW, List.of());

    private final Map<String, JsonSchema> schemas;
    private final Map<String, Mode> modes;
    private final boolean blockUnplanned;

    public TrackingPlan(Map<String, JsonSchema> schemas, Map<String, Mode> modes, boolean blockUnplanned) {
        this.schemas = Map.copyOf(schemas);
        this.modes = Map.copyOf(modes);
        this.blockUnplanned = blockUnplanned;
    }

    /**
     * @param dir      the folder of schemas, or blank for none
     * @param modes    {@code <source>=allow|flag|block}, comma-separated
     */
    public static TrackingPlan load(String dir, String modes, String unplanned) {
        Map<String, JsonSchema> schemas = new HashMap<>();
        if (dir != null && !dir.isBlank()) {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            ObjectMapper mapper = new ObjectMapper();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir), "*.json")) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    schemas.put(slug(name.substring(0, name.length() - ".json".length())),
                            factory.getSchema(mapper.readTree(file.toFile())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("tracking.plan.dir " + dir + " cannot be read", e);
            }
        }
        Map<String, Mode> bySource = new HashMap<>();
        for (String entry : modes == null ? new String[0] : modes.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("tracking.plan.modes: each entry is <source>=allow|flag|block");
            }
            bySource.put(parts[0].trim(), Mode.valueOf(parts[1].trim().toUpperCase(Locale.ROOT)));
        }
        if (!"allow".equals(unplanned) && !"block".equals(unplanned)) {
            throw new IllegalArgumentException("tracking.plan.unplanned is allow or block");
        }
        return new TrackingPlan(schemas, bySource, "block".equals(unplanned));
    }

    /** {@code Order Completed}, {@code order_completed} and {@code order-completed} are one event. */
    static String slug(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    public Verdict check(String source, String type, String event, JsonNode message) {
        Mode mode = modes.getOrDefault(source, Mode.ALLOW);
        if (mode == Mode.ALLOW || !"track".equals(type) || event == null) {
            return ALLOWED;
        }
        JsonSchema schema = schemas.get(slug(event));
        if (schema == null) {
            return new Verdict(mode, blockUnplanned ? List.of("'" + event + "' is not in the tracking plan") : List.of());
        }
        List<String> violations = schema.validate(message).stream().map(ValidationMessage::getMessage).sorted().toList();
        return new Verdict(mode, violations);
    }
}
