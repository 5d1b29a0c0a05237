package io.marketingbus.event;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sellable item of a store's catalog ({@code data.product} of {@code marketing.product.*} events on
 * {@code marketing.products}, whose CloudEvents {@code subject}, the record key, is {@link #key()}): one per variant, in the terms a product catalog
 * (Meta's items_batch) takes. An inventory change carries only {@code retailerId}, {@code availability} and
 * {@code inventory}; every other field null means "unchanged".
 *
 * @param platform     the store platform: {@code shopify}, {@code woocommerce}
 * @param store        the store's domain ({@code X-Shopify-Shop-Domain}, host of {@code X-WC-Webhook-Source})
 * @param retailerId   the catalog item id, stable across updates, unique across the bus's stores
 * @param productId    the store's product id (a variant's parent), for grouping variants
 * @param availability {@code in stock} or {@code out of stock}, as catalogs spell it
 * @param inventory    units available, when the store tracks them
 * @param price        the unit price; {@code currency} its ISO 4217 code
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Product(String platform, String store, String retailerId, String productId, String title,
                      String description, String link, String imageLink, String brand, String condition,
                      BigDecimal price, String currency, String availability, Integer inventory) {

    public static final String IN_STOCK = "in stock";
    public static final String OUT_OF_STOCK = "out of stock";

    /** The subject and record key of this item's events: SHA-256 of the retailer id, so one item's changes stay in order. */
    public String key() {
        return Identifiers.sha256Hex(retailerId);
    }
}
