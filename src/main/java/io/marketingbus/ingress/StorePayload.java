package io.marketingbus.ingress;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading a store webhook's JSON fields (Shopify, WooCommerce): a missing or malformed field the bus needs is an
 * {@link IllegalArgumentException} naming it, which the store's ingress answers with 400 and a dead letter.
 */
public final class StorePayload {

    private StorePayload() {
    }

    /** The field's text, trimmed: the payload has no such field when it is missing, null, blank or an object/array. */
    public static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException("the payload has no " + field);
        }
        return value.asText().trim();
    }

    /** The field's text, trimmed, or null when it is missing, null or blank. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().trim();
    }

    /** The field as a decimal (number or numeric string), the fallback when it is missing, null or blank. */
    public static BigDecimal decimal(JsonNode node, String field, BigDecimal fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return fallback;
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not a number: " + value.asText());
        }
    }
}
