package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.event.Product;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** Product events into Meta items_batch requests, against the catalog samples (docs/platforms/facebook.md §10). */
class FacebookCatalogTranslatorTest {

    static final String RETAILER_ID = "shop-example-com-SKU-123";
    final FacebookCatalogTranslator translator = new FacebookCatalogTranslator("v25.0", "1357924680135792");
    final ObjectMapper mapper = new ObjectMapper();

    static Product shirt() {
        return new Product("shopify", "shop.example.com", RETAILER_ID, "8123", "Linen shirt",
                "Relaxed linen shirt, stone washed.", "https://shop.example.com/products/linen-shirt?variant=123",
                "https://shop.example.com/images/linen-shirt.jpg", "Example Linen", null, new BigDecimal("12.99"), "EUR",
                Product.IN_STOCK, 42);
    }

    static CloudEvent event(String type, Product product) {
        return CloudEvent.of("shopify-product-" + product.retailerId(), "/shopify/shops/shop.example.com", type,
                "2026-01-15T10:00:00Z", product.key(), EventData.product(product));
    }

    @Test
    void anUpsertIsAnUpdateWithAllowUpsertAndEveryFieldMetaNeedsToCreateTheItem() throws Exception {
        PlatformRequest request = translator.toItemsBatch(event(EventTypes.PRODUCT_UPSERTED, shirt()));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v25.0/1357924680135792/items_batch");
        assertThat(mapper.readTree(request.body().toString()))
                .isEqualTo(Samples.json("facebook-catalog-items-batch-request.json"));
    }

    @Test
    void anInventoryChangeUpdatesOnlyAvailabilityAndInventory() throws Exception {
        Product stock = new Product("shopify", "shop.example.com", RETAILER_ID, null, null, null, null, null, null, null,
                null, null, Product.OUT_OF_STOCK, 0);

        PlatformRequest request = translator.toItemsBatch(event(EventTypes.PRODUCT_UPSERTED, stock));

        assertThat(mapper.readTree(request.body().toString()))
                .isEqualTo(Samples.json("facebook-catalog-items-batch-inventory-request.json"));
    }

    @Test
    void aDeleteIsADeleteOfTheRetailerId() throws Exception {
        PlatformRequest request = translator.toItemsBatch(event(EventTypes.PRODUCT_DELETED,
                new Product("shopify", "shop.example.com", RETAILER_ID, null, null, null, null, null, null, null, null,
                        null, null, null)));

        assertThat(mapper.readTree(request.body().toString()))
                .isEqualTo(Samples.json("facebook-catalog-items-batch-delete-request.json"));
    }

    @Test
    void thePriceIsTheAmountAsWrittenAndTheCurrencyCode() {
        Product whole = new Product("woocommerce", "shop.example.com", "wc-7", null, "Mug", "A mug", null, null, null,
                "used", new BigDecimal("1500"), "jpy", null, null);

        PlatformRequest request = translator.toItemsBatch(event(EventTypes.PRODUCT_UPSERTED, whole));

        assertThat(request.body().at("/requests/0/data/price").asText()).isEqualTo("1500 JPY");
        assertThat(request.body().at("/requests/0/data/condition").asText()).isEqualTo("used");
        assertThatThrownBy(() -> translator.toItemsBatch(event(EventTypes.PRODUCT_UPSERTED, new Product("woocommerce",
                "shop.example.com", "wc-8", null, "Mug", null, null, null, null, null, BigDecimal.ONE, null, null, null))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("without a currency");
    }
}
