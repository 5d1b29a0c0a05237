package io.marketingbus.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventTypes;
import org.apache.camel.Exchange;

/**
 * Cross-source dedup of flow 3 (docs/design.md, "Cross-source dedup"): which orders the purchase resolver has
 * counted, by their {@code transactionId}, whichever source reported them (GA4, Shopify, WooCommerce). An order's
 * copies share a record key ({@link Conversion#orderKey}), so one consumer sees them one after the other; the
 * ledger is kept with the resolver's delivered ids ({@code marketing.purchases.resolver.delivered}: compacted,
 * shared by every instance, read back after a restart) under keys no event id takes ({@code order:…}).
 * {@link #classify} names what the resolver does with a purchase event in {@link #KIND}:
 * <ul>
 * <li>{@code count}: a new order, counted (then {@link #recordCounted});</li>
 * <li>{@code adjust}: a later copy bringing the value the first lacked, a refund or a cancellation of a counted
 * order (then {@link #recordAdjusted});</li>
 * <li>{@code skip}: a test order, a copy with nothing new, a refund or cancellation of an order never counted or
 * already cancelled; the reason in {@link #REASON}.</li>
 * </ul>
 */
public final class PurchaseLedger {

    public static final String KIND = "busPurchaseKind";
    public static final String REASON = "busPurchaseSkipReason";

    private final DeliveredEvents delivered;

    public PurchaseLedger(DeliveredEvents delivered) {
        this.delivered = delivered;
    }

    public void classify(Exchange exchange) {
        CloudEvent event = exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
        String topic = ledger(exchange);
        Conversion conversion = event.data().conversion();
        String order = conversion.transactionId();
        boolean counted = delivered.contains(topic, counted(order));
        String kind;
        String reason = null;
        switch (event.type()) {
            case EventTypes.PURCHASE_RECEIVED -> {
                if (Boolean.TRUE.equals(conversion.test())) {
                    kind = "skip";
                    reason = "a test order, never counted";
                } else if (!counted) {
                    kind = "count";
                } else if (conversion.value() != null && !delivered.contains(topic, valued(order))) {
                    kind = "adjust";
                } else {
                    kind = "skip";
                    reason = "order " + order + " is already counted (a copy from another source or a later update)";
                }
            }
            case EventTypes.PURCHASE_REFUNDED, EventTypes.PURCHASE_CANCELLED -> {
                if (!counted) {
                    kind = "skip";
                    reason = "order " + order + " was never counted";
                } else if (delivered.contains(topic, cancelled(order))) {
                    kind = "skip";
                    reason = "order " + order + " is already cancelled";
                } else {
                    kind = "adjust";
                }
            }
            default -> {
                kind = "skip";
                reason = "not a purchase event";
            }
        }
        exchange.setProperty(KIND, kind);
        exchange.setProperty(REASON, reason);
    }

    /** After the conversion is on Kafka: the order is counted (and its value, when it had one). */
    public void recordCounted(Exchange exchange) throws InterruptedException {
        CloudEvent event = exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
        String order = event.data().conversion().transactionId();
        List<String> ids = new ArrayList<>(List.of(counted(order)));
        if (event.data().conversion().value() != null) {
            ids.add(valued(order));
        }
        record(exchange, ids);
    }

    /** After the adjustment is on Kafka: the order's value is in the total, or the order is cancelled. */
    public void recordAdjusted(Exchange exchange) throws InterruptedException {
        CloudEvent event = exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
        String order = event.data().conversion().transactionId();
        switch (event.type()) {
            case EventTypes.PURCHASE_RECEIVED -> record(exchange, List.of(valued(order)));
            case EventTypes.PURCHASE_CANCELLED -> record(exchange, List.of(cancelled(order)));
            default -> {
                // a refund is applied once by its own event id, as every event is
            }
        }
    }

    private void record(Exchange exchange, List<String> ids) throws InterruptedException {
        Map<String, Exception> failed = delivered.recordAll(ledger(exchange), ids);
        if (!failed.isEmpty()) {
            Exception first = failed.values().iterator().next();
            throw new IllegalStateException("the purchase ledger could not record " + failed.keySet() + ": "
                    + first.getMessage(), first);
        }
    }

    private static String ledger(Exchange exchange) {
        String topic = exchange.getProperty(DeliveryExchange.DELIVERED_TOPIC, String.class);
        if (topic == null) {
            throw new IllegalStateException("the purchase ledger is used outside a delivery");
        }
        return topic;
    }

    /** Whether the resolver counted the order (from whichever source came first), as recorded in {@code ledgerTopic}. */
    public static boolean isCounted(DeliveredEvents delivered, String ledgerTopic, String order) {
        return delivered.contains(ledgerTopic, counted(order));
    }

    static String counted(String order) {
        return "order:" + order;
    }

    static String valued(String order) {
        return "order-valued:" + order;
    }

    static String cancelled(String order) {
        return "order-cancelled:" + order;
    }
}
