package io.marketingbus.support;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.marketingbus.ingress.StoreWebhookSecrets;

/** Store webhooks as the stores send them (docs/platforms/shopify.md §1, woocommerce.md §1), to a running bus. */
public final class StoreWebhooks {

    private StoreWebhooks() {
    }

    /** The body's signature with this secret: Shopify's {@code X-Shopify-Hmac-Sha256}, WooCommerce's {@code X-WC-Webhook-Signature}. */
    public static String sign(String secret, String body) {
        return StoreWebhookSecrets.sign(secret, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A Shopify webhook from this shop with Shopify's headers and this HMAC (a wrong one for the negative tests). */
    public static HttpResponse<String> shopify(RunningBus bus, String shop, String topic, String webhookId, String body,
                                               String hmac) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Shopify-Topic", topic);
        headers.put("X-Shopify-Shop-Domain", shop);
        headers.put("X-Shopify-API-Version", "2026-01");
        headers.put("X-Shopify-Webhook-Id", webhookId);
        headers.put("X-Shopify-Hmac-Sha256", hmac);
        return bus.post("/webhooks/shopify", "application/json", body, headers);
    }
}
