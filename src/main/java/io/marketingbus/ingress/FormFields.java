package io.marketingbus.ingress;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} bodies with PHP-style nested keys, as Mailchimp sends them:
 * {@code data[merges][FNAME]=Lucia} becomes {@code {data: {merges: {FNAME: Lucia}}}}.
 */
public final class FormFields {

    private FormFields() {
    }

    /** Decodes a raw form body into its fields, in order; a repeated name keeps every value. */
    public static Map<String, List<String>> decode(String body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                fields.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new WebhookRejectedException(400, "form body has invalid percent-encoding", true);
            }
        }
        return fields;
    }

    /** The inverse of {@link #decode}: what a client would have sent for these fields. */
    public static String encode(Map<String, List<String>> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, values) -> values.forEach(value -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }));
        return sb.toString();
    }

    /**
     * Nests bracketed names into maps. A name given twice, or used both as a value and as a parent, makes the body
     * ambiguous and is rejected rather than guessed at.
     */
    public static Map<String, Object> nest(Map<String, List<String>> fields) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            if (field.getValue().size() != 1) {
                throw new WebhookRejectedException(400, "form field '" + field.getKey() + "' is given "
                        + field.getValue().size() + " times", true);
            }
            List<String> path = path(field.getKey());
            Map<String, Object> node = root;
            for (int i = 0; i < path.size() - 1; i++) {
                Object child = node.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
                if (!(child instanceof Map)) {
                    throw conflict(field.getKey());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) child;
                node = next;
            }
            if (node.putIfAbsent(path.get(path.size() - 1), field.getValue().get(0)) != null) {
                throw conflict(field.getKey());
            }
        }
        return root;
    }

    private static WebhookRejectedException conflict(String name) {
        return new WebhookRejectedException(400, "form field '" + name + "' conflicts with another field", true);
    }

    /** {@code data[merges][FNAME]} → [data, merges, FNAME]. */
    static List<String> path(String name) {
        List<String> parts = new ArrayList<>();
        int open = name.indexOf('[');
        if (open < 0) {
            parts.add(name);
            return parts;
        }
        parts.add(name.substring(0, open));
        int i = open;
        while (i < name.length()) {
            int close = name.indexOf(']', i);
            if (name.charAt(i) != '[' || close < 0) {
                throw new WebhookRejectedException(400, "form field name '" + name + "' has unbalanced brackets", true);
            }
            parts.add(name.substring(i + 1, close));
            i = close + 1;
        }
        if (parts.stream().anyMatch(String::isEmpty)) {
            throw new WebhookRejectedException(400, "form field name '" + name + "' has an empty key", true);
        }
        return parts;
    }
}
