package io.marketingbus.api.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one subscriber of {@code /v1/stream} asked for, from its query parameters; each a comma list, a frame passes
 * when it matches one value of every parameter given:
 * <ul>
 * <li>{@code type}: the event type, exact or a prefix ending in {@code *} ({@code marketing.contact.*});</li>
 * <li>{@code source}: a prefix of the CloudEvents source ({@code /mailchimp});</li>
 * <li>{@code destination}: the outcome's stage, exact or a prefix ending in {@code *} ({@code ingress:*});</li>
 * <li>{@code outcome}: accepted, delivered, filtered, retried, dead-lettered;</li>
 * <li>{@code kind}: events, outcomes.</li>
 * </ul>
 * A frame without the field a filter names does not pass it: {@code destination} and {@code outcome} select outcome
 * frames only. Control frames ({@code subscribed}, {@code dropped}) always pass.
 */
public record StreamFilter(List<String> types, List<String> sources, List<String> destinations, Set<String> outcomes,
                           Set<String> kinds) {

    public static final Set<String> OUTCOMES = Set.of("accepted", "delivered", "filtered", "retried", "dead-lettered");
    static final Set<String> PARAMETERS = Set.of("type", "source", "destination", "outcome", "kind");

    /** Every frame. */
    public static final StreamFilter ALL = new StreamFilter(List.of(), List.of(), List.of(), Set.of(), Set.of());

    /** Thrown for a parameter or value the stream does not know: answered 400 before the upgrade. */
    public static final class BadFilterException extends IllegalArgumentException {
        public BadFilterException(String message) {
            super(message);
        }
    }

    /** @param parameters each query parameter with all its values (a parameter given twice adds its values) */
    public static StreamFilter parse(Map<String, List<String>> parameters) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new BadFilterException("unknown parameter '" + name + "': the stream filters by "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
        }
        Set<String> outcomes = new LinkedHashSet<>(values(parameters, "outcome"));
        for (String outcome : outcomes) {
            if (!OUTCOMES.contains(outcome)) {
                throw new BadFilterException("unknown outcome '" + outcome + "': one of "
                        + String.join(", ", OUTCOMES.stream().sorted().toList()));
            }
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String kind : values(parameters, "kind")) {
            switch (kind) {
                case "events", "event" -> kinds.add("event");
                case "outcomes", "outcome" -> kinds.add("outcome");
                default -> throw new BadFilterException("unknown kind '" + kind + "': events or outcomes");
            }
        }
        return new StreamFilter(values(parameters, "type"), values(parameters, "source"),
                values(parameters, "destination"), Set.copyOf(outcomes), Set.copyOf(kinds));
    }

    private static List<String> values(Map<String, List<String>> parameters, String name) {
        List<String> values = new ArrayList<>();
        for (String value : parameters.getOrDefault(name, List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return List.copyOf(values);
    }

    /** Whether the subscriber gets the frame. */
    public boolean matches(JsonNode frame) {
        String kind = frame.path("kind").asText();
        if (!"event".equals(kind) && !"outcome".equals(kind)) {
            return true;
        }
        if (!kinds.isEmpty() && !kinds.contains(kind)) {
            return false;
        }
        if (!types.isEmpty() && !types.stream().anyMatch(t -> matchesPattern(t, text(frame, "type")))) {
            return false;
        }
        if (!sources.isEmpty() && !sources.stream().anyMatch(s -> text(frame, "source") != null
                && text(frame, "source").startsWith(s))) {
            return false;
        }
        String stage = "outcome".equals(kind) ? text(frame, "stage") : null;
        if (!destinations.isEmpty() && !destinations.stream().anyMatch(d -> matchesPattern(d, stage))) {
            return false;
        }
        String outcome = "outcome".equals(kind) ? text(frame, "outcome") : null;
        return outcomes.isEmpty() || outcome != null && outcomes.contains(outcome);
    }

    private static boolean matchesPattern(String pattern, String value) {
        if (value == null) {
            return false;
        }
        return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1))
                : value.equals(pattern);
    }

    private static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
