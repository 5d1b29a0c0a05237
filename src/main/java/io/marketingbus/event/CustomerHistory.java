package io.marketingbus.event;

import java.math.BigDecimal;

/**
 * A customer's order count and total, and how a change of an order already counted moves them (docs/design.md,
 * "Cross-source dedup"): a later copy that brings the value the first lacked ({@code marketing.purchase.received}:
 * the total grows, the count does not), a refund (the total drops by the refunded value) or a cancellation (the
 * count drops by one and the total by what no refund took off yet); never below zero. One place for every CRM's
 * resolver (HubSpot, Salesforce), which only differ in where they read the history from.
 */
public record CustomerHistory(int count, BigDecimal total) {

    public CustomerHistory {
        total = total == null ? BigDecimal.ZERO : total;
    }

    /** The history once the change is applied. */
    public CustomerHistory after(CloudEvent change) {
        Conversion conversion = change.data().conversion();
        BigDecimal value = conversion.value() == null ? BigDecimal.ZERO : conversion.value();
        return switch (change.type()) {
            case EventTypes.PURCHASE_RECEIVED -> new CustomerHistory(Math.max(count, 1), total.add(value));
            case EventTypes.PURCHASE_REFUNDED -> new CustomerHistory(count, total.subtract(value).max(BigDecimal.ZERO));
            case EventTypes.PURCHASE_CANCELLED -> new CustomerHistory(Math.max(0, count - 1),
                    total.subtract(value).max(BigDecimal.ZERO));
            default -> throw new IllegalArgumentException("not a change of a purchase: " + change.type());
        };
    }

    /**
     * {@code marketing.conversion.adjusted} for the customer with this history: the change's order, the new count and
     * total, and a last order value only for a copy that brought one (a refund or cancellation is not an order).
     * The change's id, from the resolver; published to marketing.conversions like a purchase, so a CRM applies it
     * after the purchase, in order.
     */
    public CloudEvent adjusted(CloudEvent change, Contact contact) {
        Conversion conversion = change.data().conversion();
        BigDecimal lastValue = EventTypes.PURCHASE_RECEIVED.equals(change.type()) ? conversion.value() : null;
        Conversion adjusted = new Conversion(conversion.platform(), conversion.transactionId(), lastValue,
                conversion.currency(), null, null, null, null, count, total, conversion.orderId(), conversion.test(),
                conversion.marketingConsent(), null);
        return CloudEvent.of(change.id(), EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_ADJUSTED, change.time(),
                EventData.conversion(contact, adjusted));
    }
}
