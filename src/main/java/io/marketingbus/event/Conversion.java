package io.marketingbus.event;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A purchase.
 *
 * @param value          the order value without tax or shipping, as GA4 counts it
 * @param purchaseNumber the customer's how-many-th purchase this is (1 = first), once the customer is known
 * @param customerTotal  the customer's order total including this purchase, once known
 * @param orderId        the store's own order id when a store reported it ({@code transactionId} is the order key
 *                       the site's GA4 tag uses: the order's name, number or id, per store), else null
 * @param test           true for a store's test order: carried along, never counted
 * @param marketingConsent the customer's marketing consent as the source stated it for this order; null when the
 *                       source says nothing (GA4)
 * @param web            the browser facts a store recorded with the order, for Meta's Conversions API; null if none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conversion(String platform, String transactionId, BigDecimal value, String currency, BigDecimal tax,
                         BigDecimal shipping, String coupon, List<Item> items, Integer purchaseNumber,
                         BigDecimal customerTotal, String orderId, Boolean test, Boolean marketingConsent, Web web) {

    /** A purchase as GA4 reports it: no store order id, no consent, no browser facts. */
    public Conversion(String platform, String transactionId, BigDecimal value, String currency, BigDecimal tax,
                      BigDecimal shipping, String coupon, List<Item> items, Integer purchaseNumber,
                      BigDecimal customerTotal) {
        this(platform, transactionId, value, currency, tax, shipping, coupon, items, purchaseNumber, customerTotal,
                null, null, null, null);
    }

    /** Where the order was placed: the buyer's browser (never hashed: Meta takes them clear) and the page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Web(String clientIp, String userAgent, String url, String fbc, String fbp) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String id, String name, BigDecimal price, Integer quantity) {
    }

    /**
     * The record key of a purchase and of its refunds and cancellation on {@code marketing.purchases}, whichever
     * source reported it: one order's copies (the store's, GA4's) share a partition, so they are applied one after
     * the other and the second is recognised as the same order.
     */
    public static String orderKey(String transactionId) {
        return Identifiers.sha256Hex("order-" + transactionId);
    }

    public Conversion withCustomerHistory(int purchaseNumber, BigDecimal customerTotal) {
        return new Conversion(platform, transactionId, value, currency, tax, shipping, coupon, items, purchaseNumber,
                customerTotal, orderId, test, marketingConsent, web);
    }
}
