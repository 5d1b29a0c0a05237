package io.marketingbus.platform.woocommerce;

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
 * WooCommerce as an order, customer and product source (docs/platforms/woocommerce.md). It only sends webhooks: no
 * API is called, so nothing is required in prod; without {@code woocommerce.webhook-secrets} every signed webhook is
 * refused (401). Its route file is its ingress route.
 */
public final class WooCommercePlatform implements PlatformDescriptor {

    private static final Logger LOG = LoggerFactory.getLogger(WooCommercePlatform.class);
    /** The dev profile's secret: the one the docs' test vector and the README's curl examples sign with. */
    public static final String DEV_WEBHOOK_SECRET = "wc_webhook_secret_abc123";

    @Override
    public String name() {
        return "woocommerce";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.secret("woocommerce.webhook-secrets", "dev: the docs' test secret",
                        "each store's webhook secret, `<store host>=<secret>` (or a bare `<secret>` for any store), comma-separated; two for one store during a rotation; unset in prod: every webhook is refused"),
                Setting.of("woocommerce.order-key", "`number`",
                        "which order field the store's GA4 tag sends as `transaction_id` (`number`, `id`); `<store host>=<key>` entries for stores that differ"),
                Setting.of("woocommerce.currency", "`EUR`",
                        "currency of product prices (product webhooks do not carry it); `<store host>=<code>` entries for stores that differ"),
                Setting.of("woocommerce.consent-meta-key", "*(none)*",
                        "order/customer `meta_data` key where a consent plugin records marketing consent (`yes`/`1`/`true`); unset: WooCommerce orders carry no consent"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of();
    }

    @Override
    public String routeFile() {
        return "classpath:routes/ingress/woocommerce-webhook.camel.yaml";
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        String secrets = settings.get("woocommerce.webhook-secrets", "");
        if (secrets.isBlank() && setup.sandboxed()) {
            secrets = setup.defaultSetting("woocommerce.webhook-secrets", DEV_WEBHOOK_SECRET);
        }
        if (secrets.isBlank()) {
            LOG.info("WooCommerce webhooks are refused: woocommerce.webhook-secrets (WOOCOMMERCE_WEBHOOK_SECRETS) is not set");
        }
        setup.bind(new WooCommerceIngress(StoreWebhookSecrets.forProfile("woocommerce.webhook-secrets", secrets, setup.sandboxed(),
                DEV_WEBHOOK_SECRET), translator(settings), setup.codec(),
                StoreState.start(setup.context(), settings, "woocommerce"), setup.bean(EventTimeWindow.class),
                setup.clock()));
    }

    static WooCommerceTranslator translator(Settings settings) {
        Map<String, WooCommerceTranslator.OrderKey> orderKeys = new LinkedHashMap<>();
        StoreWebhookSecrets.perStore(settings.get("woocommerce.order-key", "number"))
                .forEach((store, key) -> orderKeys.put(store, WooCommerceTranslator.OrderKey.of(key)));
        Map<String, String> currencies = StoreWebhookSecrets.perStore(settings.get("woocommerce.currency", "EUR"));
        return new WooCommerceTranslator(orderKeys.getOrDefault("*", WooCommerceTranslator.OrderKey.NUMBER), orderKeys,
                currencies.getOrDefault("*", "EUR"), currencies, settings.get("woocommerce.consent-meta-key", ""));
    }
}
