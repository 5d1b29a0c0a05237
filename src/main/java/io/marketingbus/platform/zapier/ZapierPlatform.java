package io.marketingbus.platform.zapier;

import java.util.List;
import java.util.Map;

import io.marketingbus.api.hooks.ApiHooks;
import io.marketingbus.api.hooks.HookDeliveries;
import io.marketingbus.api.hooks.HookIngress;
import io.marketingbus.api.hooks.HookSubscriptions;
import io.marketingbus.api.hooks.HookTargets;
import io.marketingbus.bus.BusTopics;
import io.marketingbus.config.Settings;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Zapier (docs/platforms/zapier.md): events POSTed as flat JSON to catch hooks ({@code zapier.hooks}) and to REST-hook
 * subscriptions ({@code /v1/hooks}, docs/api-hooks.md), opted into with {@code zapier.enabled}. The hook URL is the
 * credential, so there is no base URL: each call goes to its hook's whole URL. Connector:
 * {@code routes/platforms/zapier.camel.yaml}; flow: {@code routes/flows/hooks.camel.yaml}; API:
 * {@code routes/api/api-hooks.camel.yaml}.
 */
public final class ZapierPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "zapier";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("zapier.enabled", "`false`", "POST events to the Zapier hooks (configured and subscribed)"),
                Setting.secret("zapier.hooks", "*(none)*", "catch hooks: `<name>\\|<url>\\|<types>[\\|personal-data]`, `;` between hooks (docs/api-hooks.md)"),
                Setting.of("zapier.requests-per-second", "`20`", "calls per second of an instance to Zapier"),
                Setting.secret("zapier.sources", "dev: `dev=zapier-dev-secret`", "inbound sources, `<source>=<secret>` comma-separated: `POST /webhooks/zapier/<source>` with header `X-Bus-Secret`"),
                Setting.secret("api.hook-keys", "dev: `zapier=sandbox-hook-key`", "REST-hook API keys, `<name>=<key>`, comma-separated (`Authorization: Bearer`)"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of();
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        HookTargets targets = new HookTargets("zapier", setup.sandboxed());
        String brokers = settings.require("camel.component.kafka.brokers");
        try {
            BusTopics.ensure(brokers, List.of(new BusTopics.Topic(HookSubscriptions.TOPIC, 1,
                    Map.of("cleanup.policy", "compact")), BusTopics.Topic.flow(HookIngress.CUSTOM_EVENTS_TOPIC, settings)), (short) settings.getInt("bus.topics.replication-factor", 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + HookSubscriptions.TOPIC, e);
        }
        HookSubscriptions subscriptions = setup.bind(new HookSubscriptions(brokers));
        try {
            setup.context().addService(subscriptions, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the REST-hook subscriptions", e);
        }
        setup.bind(new ZapierHooks(HookDeliveries.parse("zapier", settings.get("zapier.hooks", ""), targets),
                subscriptions, setup.codec()));
        setup.bind(new ZapierIngress(HookIngress.parseSources("zapier.sources", settings.get("zapier.sources",
                setup.sandboxed() ? "dev=" + ZapierIngress.DEV_SECRET : ""), setup.sandboxed(), ZapierIngress.DEV_SECRET),
                setup.codec(), setup.clock()));
        setup.bind(new ApiHooks(ApiHooks.parseKeys(settings.get("api.hook-keys",
                setup.sandboxed() ? "zapier=" + ApiHooks.DEV_KEY : ""), setup.sandboxed()), subscriptions, targets));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        return List.of(new ZapierSandbox());
    }
}
