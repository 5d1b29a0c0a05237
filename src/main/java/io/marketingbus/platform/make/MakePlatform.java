package io.marketingbus.platform.make;

import java.util.List;

import io.marketingbus.api.hooks.HookDeliveries;
import io.marketingbus.api.hooks.HookIngress;
import io.marketingbus.api.hooks.HookTargets;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Make (docs/platforms/make.md): events POSTed as flat JSON to scenario webhooks ({@code make.hooks}), opted into
 * with {@code make.enabled}. The webhook URL is the credential, so there is no base URL. Connector:
 * {@code routes/platforms/make.camel.yaml}; flow: {@code routes/flows/hooks.camel.yaml}.
 */
public final class MakePlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "make";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("make.enabled", "`false`", "POST events to the Make webhooks"),
                Setting.secret("make.hooks", "*(none)*", "webhooks: `<name>\\|<url>\\|<types>[\\|personal-data]`, `;` between hooks (docs/api-hooks.md)"),
                Setting.of("make.requests-per-second", "`25`", "calls per second of an instance to Make (Make: about 30, unverified)"),
                Setting.secret("make.sources", "dev: `dev=make-dev-secret`", "inbound sources, `<source>=<secret>` comma-separated: `POST /webhooks/make/<source>` with header `X-Bus-Secret`"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of();
    }

    @Override
    public void bind(PlatformSetup setup) {
        setup.bind(new MakeHooks(HookDeliveries.parse("make", setup.settings().get("make.hooks", ""),
                new HookTargets("make", setup.sandboxed())), setup.codec()));
        setup.bind(new MakeIngress(HookIngress.parseSources("make.sources", setup.settings().get("make.sources",
                setup.sandboxed() ? "dev=" + MakeIngress.DEV_SECRET : ""), setup.sandboxed(), MakeIngress.DEV_SECRET),
                setup.codec(), setup.clock()));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        return List.of(new MakeSandbox());
    }
}
