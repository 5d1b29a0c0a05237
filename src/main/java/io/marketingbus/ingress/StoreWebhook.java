package io.marketingbus.ingress;

import java.util.ArrayList;
import java.util.List;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What a store's webhook ingress (Shopify, WooCommerce) leaves for its route: the webhook's events as records for
 * one bus topic, and whether the webhook was acknowledged without events.
 */
public final class StoreWebhook {

    /** The records the webhook becomes (a List of BusRecord), all for one bus topic. */
    public static final String RECORDS = "busStoreRecords";
    /** {@code purchases}, {@code subscriptions} or {@code products}: which bus topic the records go to. */
    public static final String TOPIC = "busStoreTopic";

    private StoreWebhook() {
    }

    /**
     * The events as records (each within the bus's record limit) in the body and {@link #RECORDS}, the bus topic in
     * {@link #TOPIC}, and {@link IngressExchange#IGNORED} 1 when the webhook is acknowledged for a reason
     * ({@code ignored} not null), 0 otherwise.
     */
    public static void setRecords(Exchange exchange, EventCodec codec, List<CloudEvent> events, String busTopic,
                                  String ignored) {
        List<BusRecord> records = new ArrayList<>();
        for (CloudEvent event : events) {
            BusRecord record = new BusRecord(event.subject(), codec.toJson(event));
            IngressExchange.checkSize(record);
            records.add(record);
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(records);
        exchange.setProperty(RECORDS, records);
        exchange.setProperty(TOPIC, busTopic);
        exchange.setProperty(IngressExchange.IGNORED, ignored == null ? 0 : 1);
    }

    /** A header the webhook must have, trimmed: 400 when it is missing or blank. */
    public static String header(Message message, String name) {
        String value = message.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new WebhookRejectedException(400, "the webhook has no " + name + " header", true);
        }
        return value.trim();
    }
}
