package io.marketingbus.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The GA4 purchase sample ({@code ga4-purchase.json}) for another buyer and transaction, sent now (no timestamp). */
public final class Ga4Hits {

    private Ga4Hits() {
    }

    /** For a signed-in user: the sample's e-mail-less hit with this {@code user_id}. */
    public static ObjectNode purchaseByUser(String userId, String transactionId, double value) {
        ObjectNode hit = (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
        hit.remove("timestamp_micros");
        hit.put("user_id", userId);
        ObjectNode params = (ObjectNode) hit.at("/events/0/params");
        params.put("transaction_id", transactionId);
        params.put("value", value);
        return hit;
    }

    /** For a buyer known by e-mail ({@code user_data.email_address}, no user id); value null: the hit has none. */
    public static ObjectNode purchaseByEmail(String email, String transactionId, Double value) {
        ObjectNode hit = (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
        hit.remove("timestamp_micros");
        hit.remove("user_id");
        hit.putObject("user_data").put("email_address", email);
        ObjectNode params = (ObjectNode) hit.at("/events/0/params");
        params.put("transaction_id", transactionId);
        if (value == null) {
            params.remove("value");
        } else {
            params.put("value", value);
        }
        return hit;
    }
}
