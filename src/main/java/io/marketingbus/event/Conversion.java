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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conversion(String platform, String transactionId, BigDecimal value, String currency, BigDecimal tax,
                         BigDecimal shipping, String coupon, List<Item> items, Integer purchaseNumber,
                         BigDecimal customerTotal) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String id, String name, BigDecimal price, Integer quantity) {
    }

    public Conversion withCustomerHistory(int purchaseNumber, BigDecimal customerTotal) {
        return new Conversion(platform, transactionId, value, currency, tax, shipping, coupon, items, purchaseNumber,
                customerTotal);
    }
}
