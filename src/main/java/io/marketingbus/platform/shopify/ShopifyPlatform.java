package io.marketingbus.platform.shopify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.marketingbus.config.Settings;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.StoreState;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shopify as an order, customer and product source (docs/platforms/shopify.md). It only sends webhooks: no API is
 * called, so nothing is required in prod; without {@code shopify.webhook-secrets} every webhook is refused (401).
 * Its route file is its ingress route.
 */
public final class ShopifyPlatform implements PlatformDescriptor {

    private static final Logger LOG = LoggerFactory.getLogger(ShopifyPlatform.class);
    /** The dev profile's secret: the one the docs' test vector and the README's curl examples sign with. */
    public static final String DEV_WEBHOOK_SECRET = "shpss_test_webhook_secret_1234";

    @Override
    public String name() {
        return "shopify";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.secret("shopify.webhook-secrets", "dev: the docs' test secret",
                        "the app's client secret(s), `<secret>` or `<shop domain>=<secret>`, comma-separated: several for a rotation or for shops with their own app; unset in prod: every webhook is refused"),
                Setting.of("shopify.order-key", "`name`",
                        "which order field the shop's GA4 tag sends as `transaction_id` (`name`, `number`, `id`); `<shop domain>=<key>` entries for shops that differ"),
                Setting.of("shopify.currency", "`EUR`",
                        "currency of product prices (product webhooks do not carry it); `<shop domain>=<code>` entries for shops that differ"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of();
    }

    @Override
    public String routeFile() {
        return "classpath:routes/ingress/shopify-webhook.camel.yaml";
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        String secrets = settings.get("shopify.webhook-secrets", "");
        if (secrets.isBlank() && setup.sandboxed()) {
            secrets = setup.defaultSetting("shopify.webhook-secrets", DEV_WEBHOOK_SECRET);
        }
        if (secrets.isBlank()) {
            LOG.info("Shopify webhooks are refused: shopify.webhook-secrets (SHOPIFY_WEBHOOK_SECRETS) is not set");
        }
        setup.bind(new ShopifyIngress(StoreWebhookSecrets.forProfile("shopify.webhook-secrets", secrets, setup.sandboxed(),
                DEV_WEBHOOK_SECRET), translator(settings), setup.codec(),
                StoreState.start(setup.context(), settings, "shopify"), setup.bean(EventTimeWindow.class), setup.clock()));
    }

    static ShopifyTranslator translator(Settings settings) {
        Map<String, String> keys = StoreWebhookSecrets.perStore(settings.get("shopify.order-key", "name"));
        Map<String, ShopifyTranslator.OrderKey> orderKeys = new LinkedHashMap<>();
        keys.forEach((shop, key) -> orderKeys.put(shop, ShopifyTranslator.OrderKey.of(key)));
        Map<String, String> currencies = StoreWebhookSecrets.perStore(settings.get("shopify.currency", "EUR"));
        return new ShopifyTranslator(orderKeys.getOrDefault("*", ShopifyTranslator.OrderKey.NAME), orderKeys,
                currencies.getOrDefault("*", "EUR"), currencies);
    }
}
