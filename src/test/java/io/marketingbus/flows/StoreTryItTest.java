package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Try the stores" against the dev sandbox, with the README's bodies and the dev secrets. */
class StoreTryItTest {

    /** The README's Shopify order and WooCommerce order, as its curl examples send them. */
    static final String ORDER = "{\"id\":5678901234567,\"name\":\"#1001\",\"order_number\":1001,\"email\":\"lucia.martin@example.com\",\"created_at\":\"2026-01-05T08:00:00+01:00\",\"currency\":\"EUR\",\"total_price\":\"129.90\",\"subtotal_price\":\"129.90\",\"total_tax\":\"22.54\",\"taxes_included\":true,\"financial_status\":\"paid\",\"test\":false,\"customer\":{\"id\":7012345678901,\"email\":\"lucia.martin@example.com\",\"email_marketing_consent\":{\"state\":\"subscribed\"}},\"line_items\":[{\"variant_id\":44012345678901,\"sku\":\"SKU-123\",\"name\":\"Premium plan (monthly)\",\"quantity\":2,\"price\":\"64.95\"}]}";
    static final String WC = "{\"id\":4750,\"number\":\"4750\",\"status\":\"processing\",\"currency\":\"EUR\",\"date_created_gmt\":\"2026-01-05T07:00:00\",\"total\":\"129.90\",\"total_tax\":\"22.54\",\"shipping_total\":\"0.00\",\"date_paid\":\"2026-01-05T08:00:02\",\"billing\":{\"email\":\"ana.garcia@example.com\",\"phone\":\"+34600112244\"},\"line_items\":[{\"product_id\":93,\"sku\":\"SKU-123\",\"name\":\"Premium plan (monthly)\",\"quantity\":2,\"total\":\"107.36\",\"price\":53.68}],\"refunds\":[]}";

    @TempDir
    Path dataDir;

    @Test
    void theReadmesStoreExamplesWorkAgainstTheSandbox() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of())) {
            HttpResponse<String> shopify = bus.post("/webhooks/shopify", "application/json", ORDER, Map.of(
                    "X-Shopify-Topic", "orders/create", "X-Shopify-Shop-Domain", "example-store.myshopify.com",
                    "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
                    "X-Shopify-Hmac-Sha256", StoreWebhookSecrets.sign("shpss_test_webhook_secret_1234", ORDER.getBytes(StandardCharsets.UTF_8))));
            assertThat(shopify.body()).isEqualTo("{\"accepted\":1,\"ignored\":0}");
            assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                    "{\"client_id\":\"1.2\",\"user_data\":{\"email_address\":\"lucia.martin@example.com\"},\"events\":[{\"name\":\"purchase\",\"params\":{\"transaction_id\":\"#1001\",\"value\":107.36,\"currency\":\"EUR\"}}]}")
                    .statusCode()).isEqualTo(204);
            assertThat(bus.postForm("/webhooks/woocommerce", "webhook_id=3").body()).isEqualTo("{\"status\":\"ok\"}");
            HttpResponse<String> woo = bus.post("/webhooks/woocommerce", "application/json", WC, Map.of(
                    "X-WC-Webhook-Source", "https://shop.example.com/", "X-WC-Webhook-Topic", "order.created",
                    "X-WC-Webhook-Delivery-ID", "36e520ebabc2fa725092ff4a47acedf2",
                    "X-WC-Webhook-Signature", StoreWebhookSecrets.sign("wc_webhook_secret_abc123", WC.getBytes(StandardCharsets.UTF_8))));
            assertThat(woo.body()).isEqualTo("{\"accepted\":1,\"ignored\":0}");
            HttpResponse<String> forged = bus.post("/webhooks/woocommerce", "application/json", WC, Map.of(
                    "X-WC-Webhook-Source", "https://shop.example.com/", "X-WC-Webhook-Topic", "order.created",
                    "X-WC-Webhook-Delivery-ID", "forged", "X-WC-Webhook-Signature", "bm90IHRoZSBzaWduYXR1cmU="));
            assertThat(forged.statusCode()).isEqualTo(401);

            await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/hubspot/contacts").body()
                    .contains("ana.garcia@example.com") && bus.get("/sandbox/mailchimp/members").body().contains("loyalty-first-purchase"));
            String contacts = bus.get("/sandbox/hubspot/contacts").body();
            assertThat(contacts).contains("\"order_count\":\"1\"").contains("\"order_total\":\"107.36\"")
                    .doesNotContain("\"order_count\":\"2\"");
        }
    }
}
