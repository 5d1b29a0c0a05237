package io.marketingbus.platform.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;

/**
 * The part of SOQL the sandbox understands (the queries the bus sends): {@code SELECT} fields, parent fields one
 * level up ({@code Contact.Email}), child subqueries ({@code (SELECT ... FROM OpportunityContactRoles)});
 * {@code WHERE} comparisons joined by {@code AND}; {@code ORDER BY}; {@code LIMIT}. Anything else is
 * {@code MALFORMED_QUERY}; an unknown field {@code INVALID_FIELD}, as Salesforce answers.
 */
record Soql(String object, List<String> fields, List<Soql> children, String relationship, List<Condition> where,
            List<String> orderBy, int limit) {

    private static final Pattern QUERY = Pattern.compile(
            "(?is)\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(.+?))?(?:\\s+LIMIT\\s+(\\d+))?\\s*");
    private static final Pattern COMPARISON = Pattern.compile(
            "(?s)\\s*([\\w.]+)\\s*(=|!=|>=|<=|>|<)\\s*('(?:[^'\\\\]|\\\\.)*'|[\\w:.+-]+)\\s*");
    /** Child relationships: name → (child object, the child's field pointing at the parent). */
    private static final Map<String, String[]> CHILDREN = Map.of(
            "OpportunityContactRoles", new String[] {"OpportunityContactRole", "OpportunityId"});
    /** Parent relationships: object.name → (parent object, the lookup field). */
    private static final Map<String, String[]> PARENTS = Map.of(
            "OpportunityContactRole.Contact", new String[] {"Contact", "ContactId"},
            "OpportunityContactRole.Opportunity", new String[] {"Opportunity", "OpportunityId"},
            "Contact.Account", new String[] {"Account", "AccountId"},
            "Opportunity.Account", new String[] {"Account", "AccountId"});

    record Condition(String field, String op, String literal) {
    }

    static Soql parse(String soql, Map<String, Set<String>> known) {
        Matcher m = QUERY.matcher(soql);
        if (!m.matches()) {
            throw new SalesforceSandbox.SoqlException("MALFORMED_QUERY", "unexpected token in: " + soql);
        }
        String object = m.group(2);
        if (!known.containsKey(object)) {
            throw new SalesforceSandbox.SoqlException("INVALID_TYPE", "sObject type '" + object + "' is not supported.");
        }
        List<String> fields = new ArrayList<>();
        List<Soql> children = new ArrayList<>();
        for (String item : splitTopLevel(m.group(1))) {
            if (item.startsWith("(")) {
                if (!item.endsWith(")")) {
                    throw new SalesforceSandbox.SoqlException("MALFORMED_QUERY", "unbalanced parentheses");
                }
                Matcher sub = QUERY.matcher(item.substring(1, item.length() - 1));
                if (!sub.matches() || !CHILDREN.containsKey(sub.group(2))) {
                    throw new SalesforceSandbox.SoqlException("INVALID_TYPE", "Didn't understand relationship in FROM part of query call: " + item);
                }
                String[] child = CHILDREN.get(sub.group(2));
                Soql childQuery = parse(sub.group().replaceFirst("(?i)FROM\\s+" + sub.group(2), "FROM " + child[0]), known);
                children.add(new Soql(childQuery.object, childQuery.fields, List.of(), sub.group(2) + "|" + child[1],
                        childQuery.where, childQuery.orderBy, childQuery.limit));
            } else {
                check(object, item, known);
                fields.add(item);
            }
        }
        List<Condition> where = new ArrayList<>();
        if (m.group(3) != null) {
            for (String part : m.group(3).split("(?i)\\s+AND\\s+")) {
                Matcher c = COMPARISON.matcher(part);
                if (!c.matches()) {
                    throw new SalesforceSandbox.SoqlException("MALFORMED_QUERY", "unexpected token: " + part.trim());
                }
                check(object, c.group(1), known);
                where.add(new Condition(c.group(1), c.group(2), c.group(3)));
            }
        }
        List<String> orderBy = new ArrayList<>();
        if (m.group(4) != null) {
            for (String f : m.group(4).split(",")) {
                String field = f.trim().replaceFirst("(?i)\\s+ASC$", "");
                check(object, field, known);
                orderBy.add(field);
            }
        }
        return new Soql(object, fields, children, null, where, orderBy, m.group(5) == null ? -1 : Integer.parseInt(m.group(5)));
    }

    private static void check(String object, String field, Map<String, Set<String>> known) {
        String[] path = field.split("\\.");
        if (path.length == 2) {
            String[] parent = PARENTS.get(object + "." + path[0]);
            if (parent == null) {
                throw new SalesforceSandbox.SoqlException("INVALID_FIELD", "Didn't understand relationship '" + path[0] + "' in field path.");
            }
            check(parent[0], path[1], known);
            return;
        }
        if (path.length != 1 || !(SalesforceSandbox.isBase(field) || known.get(object).contains(field))) {
            throw new SalesforceSandbox.SoqlException("INVALID_FIELD", "No such column '" + field + "' on entity '" + object + "'.");
        }
    }

    boolean matches(ObjectNode record) {
        for (Condition c : where) {
            JsonNode value = record.get(c.field);
            int cmp = compare(value, c.literal);
            boolean ok = switch (c.op) {
                case "=" -> cmp == 0;
                case "!=" -> cmp != 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                case "<" -> cmp < 0;
                default -> cmp <= 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Compares a record's value with a SOQL literal; a value that is absent compares below everything. */
    private static int compare(JsonNode value, String literal) {
        if (literal.startsWith("'")) {
            String text = literal.substring(1, literal.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
            return value == null || value.isNull() ? -1 : value.asText().compareTo(text);
        }
        if (literal.equalsIgnoreCase("null")) {
            return value == null || value.isNull() ? 0 : 1;
        }
        if (literal.equalsIgnoreCase("true") || literal.equalsIgnoreCase("false")) {
            return value != null && value.asBoolean() == Boolean.parseBoolean(literal) ? 0 : 1;
        }
        if (literal.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            Instant at;
            try {
                // SOQL dateTime literals: YYYY-MM-DDThh:mm:ssZ or with ±hh:mm, no fractions
                if (!literal.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})")) {
                    throw new DateTimeParseException("format", literal, 0);
                }
                at = OffsetDateTime.parse(literal).toInstant();
            } catch (DateTimeParseException e) {
                throw new SalesforceSandbox.SoqlException("MALFORMED_QUERY", "line 1: value of filter criterion for field is not a valid dateTime: " + literal);
            }
            return value == null || value.isNull() ? -1 : time(value.asText()).compareTo(at);
        }
        try {
            double number = Double.parseDouble(literal);
            return value == null || value.isNull() ? -1 : Double.compare(value.asDouble(), number);
        } catch (NumberFormatException e) {
            throw new SalesforceSandbox.SoqlException("MALFORMED_QUERY", "unexpected token: " + literal);
        }
    }

    static Instant time(String salesforceTime) {
        return OffsetDateTime.parse(salesforceTime, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant();
    }

    Comparator<ObjectNode> order() {
        Comparator<ObjectNode> order = (a, b) -> 0;
        for (String field : orderBy) {
            order = order.thenComparing(r -> r.path(field).asText(""));
        }
        return order;
    }

    /** The record as the query selects it, with parent fields nested and child subqueries as query results. */
    ObjectNode select(ObjectNode record, Map<String, Map<String, ObjectNode>> all) {
        ObjectNode row = SandboxJson.MAPPER.createObjectNode();
        row.putObject("attributes").put("type", object)
                .put("url", "/services/data/v62.0/sobjects/" + object + "/" + record.path("Id").asText());
        for (String field : fields) {
            String[] path = field.split("\\.");
            if (path.length == 1) {
                row.set(field, record.hasNonNull(field) ? record.get(field) : SandboxJson.MAPPER.nullNode());
            } else {
                String[] parent = PARENTS.get(object + "." + path[0]);
                ObjectNode target = all.getOrDefault(parent[0], Map.of()).get(record.path(parent[1]).asText());
                if (target == null) {
                    row.set(path[0], SandboxJson.MAPPER.nullNode());
                    continue;
                }
                ObjectNode nested = row.has(path[0]) && row.get(path[0]).isObject() ? (ObjectNode) row.get(path[0])
                        : row.putObject(path[0]);
                nested.putObject("attributes").put("type", parent[0]);
                nested.set(path[1], target.hasNonNull(path[1]) ? target.get(path[1]) : SandboxJson.MAPPER.nullNode());
            }
        }
        for (Soql child : children) {
            String[] rel = child.relationship.split("\\|");
            List<ObjectNode> rows = all.getOrDefault(child.object, Map.of()).values().stream()
                    .filter(c -> record.path("Id").asText().equals(c.path(rel[1]).asText())).filter(child::matches)
                    .sorted(child.order()).map(c -> child.select(c, all)).toList();
            if (rows.isEmpty()) {
                row.putNull(rel[0]);
            } else {
                ObjectNode sub = row.putObject(rel[0]);
                sub.put("totalSize", rows.size()).put("done", true);
                ArrayNode list = sub.putArray("records");
                rows.forEach(list::add);
            }
        }
        return row;
    }

    private static List<String> splitTopLevel(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : list.toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
            if (ch == ',' && depth == 0) {
                items.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        items.add(current.toString().trim());
        return items;
    }
}
