package io.marketingbus.platform.activecampaign;

import java.util.List;

import io.marketingbus.config.Settings;
import io.marketingbus.event.LoyaltyTiers;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * ActiveCampaign (docs/platforms/activecampaign.md): flow 3's loyalty automations when
 * {@code loyalty.provider=activecampaign}. Connector: {@code routes/platforms/activecampaign.camel.yaml}.
 */
public final class ActiveCampaignPlatform implements PlatformDescriptor {

    @Override
    public String name() {
        return "activecampaign";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("activecampaign.base-url", "*(none)*", "the account's API URL, `https://<account>.api-us1.com/api/3` (required with ActiveCampaign)"),
                Setting.secret("activecampaign.api-token", "*(none)*", "API key (required with ActiveCampaign)"),
                Setting.of("activecampaign.requests-per-second", "`4`", "calls per second; the account allows 5, shared by every key"),
                Setting.of("loyalty.activecampaign.automations.first", "*(none)*", "automation id of the first-purchase tier (required with ActiveCampaign)"),
                Setting.of("loyalty.activecampaign.automations.repeat", "*(none)*", "automation id of the repeat tier (required with ActiveCampaign)"),
                Setting.of("loyalty.activecampaign.automations.vip", "*(none)*", "automation id of the VIP tier (required with ActiveCampaign)"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("activecampaign", "activecampaign.base-url", "activecampaign",
                s -> "https://set-activecampaign.base-url-from-settings-developer.invalid/api/3",
                List.of("activecampaign.base-url", "activecampaign.api-token", "loyalty.activecampaign.automations.first",
                        "loyalty.activecampaign.automations.repeat", "loyalty.activecampaign.automations.vip"),
                PlatformApi.ordered("activecampaign.api-token", "sandbox-activecampaign",
                        "loyalty.activecampaign.automations.first", "1", "loyalty.activecampaign.automations.repeat", "2",
                        "loyalty.activecampaign.automations.vip", "3"),
                s -> "activecampaign".equals(s.get("loyalty.provider", "mailchimp"))));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        setup.bind(new ActiveCampaignLoyalty(LoyaltyTiers.of("loyalty.activecampaign.automations",
                k -> settings.get(k, ""))));
        setup.bind(new ActiveCampaignConnector(settings.get("activecampaign.api-token", "")));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        return List.of(new ActiveCampaignSandbox(setup.settings().get("activecampaign.api-token", "sandbox-activecampaign"),
                setup.clock()));
    }
}
