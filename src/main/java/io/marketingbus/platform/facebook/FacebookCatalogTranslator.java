package io.marketingbus.platform.facebook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.event.Product;

/**
 * Product events into Meta catalog batch requests (docs/platforms/facebook.md §10): one {@code items_batch} request
 * per event, {@code item_type PRODUCT_ITEM}; an upsert is an {@code UPDATE} with {@code allow_upsert} (it creates the
 * item when the catalog lacks it), a delete a {@code DELETE}, and an inventory change an {@code UPDATE} of only
 * {@code availability} and {@code inventory}. {@link FacebookCatalogItems} merges a batch's requests into calls of
 * up to 5,000.
 */
public final class FacebookCatalogTranslator {

    public static final String ITEM_TYPE = "PRODUCT_ITEM";
    /** What Meta requires to create an item; the stores' products are new goods unless they say otherwise. */
    static final String DEFAULT_CONDITION = "new";

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String apiVersion;
    private final String catalogId;

    public FacebookCatalogTranslator(String apiVersion, String catalogId) {
        this.apiVersion = apiVersion;
        this.catalogId = catalogId;
    }

    /** {@code POST /{version}/{catalog-id}/items_batch} with the event's one request. */
    public PlatformRequest toItemsBatch(CloudEvent event) {
        Product product = event.data() == null ? null : event.data().product();
        if (product == null || product.retailerId() == null || product.retailerId().isBlank()) {
            throw new InvalidEventException("a product event without data.product.retailerId");
        }
        ObjectNode body = json.objectNode();
        body.put("item_type", ITEM_TYPE);
        body.put("allow_upsert", true);
        ObjectNode request = body.putArray("requests").addObject();
        ObjectNode data = json.objectNode();
        data.put("id", product.retailerId());
        if (EventTypes.PRODUCT_DELETED.equals(event.type())) {
            request.put("method", "DELETE");
        } else if (EventTypes.PRODUCT_UPSERTED.equals(event.type())) {
            request.put("method", "UPDATE");
            if (inventoryOnly(product)) {
                putIfSet(data, "availability", product.availability());
            } else {
                item(product, data);
            }
            if (product.inventory() != null) {
                data.put("inventory", Math.max(0, product.inventory()));
            }
        } else {
            throw new InvalidEventException("not a product event: " + event.type());
        }
        request.set("data", data);
        return new PlatformRequest("POST", "/" + apiVersion + "/" + catalogId + "/items_batch", null, body);
    }

    /** An inventory change names the item and its stock only: every other field stays as the catalog has it. */
    static boolean inventoryOnly(Product product) {
        return product.title() == null && product.description() == null && product.link() == null
                && product.imageLink() == null && product.price() == null && product.brand() == null
                && product.condition() == null;
    }

    private void item(Product product, ObjectNode data) {
        putIfSet(data, "title", product.title());
        putIfSet(data, "description", product.description());
        putIfSet(data, "availability", product.availability());
        putIfSet(data, "condition", product.condition() != null ? product.condition() : DEFAULT_CONDITION);
        if (product.price() != null) {
            if (product.currency() == null || product.currency().isBlank()) {
                throw new InvalidEventException("product " + product.retailerId() + " has a price without a currency");
            }
            data.put("price", price(product));
        }
        putIfSet(data, "link", product.link());
        putIfSet(data, "image_link", product.imageLink());
        putIfSet(data, "brand", product.brand());
    }

    /** Meta's price text: the amount as the store wrote it, a space, the ISO 4217 code ({@code 12.99 EUR}). */
    static String price(Product product) {
        return product.price().toPlainString() + " " + product.currency().trim().toUpperCase(java.util.Locale.ROOT);
    }

    private static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null && !value.isBlank()) {
            node.put(name, value);
        }
    }
}
