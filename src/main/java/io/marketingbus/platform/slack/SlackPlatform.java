package io.marketingbus.platform.slack;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;
import org.apache.camel.component.slack.SlackComponent;

/**
 * Slack (docs/platforms/slack.md): notifications posted with camel-slack ({@code chat.postMessage}, bot token).
 * Connector: {@code routes/platforms/slack.camel.yaml}; rules: {@code routes/flows/notifications.camel.yaml}.
 */
public final class SlackPlatform implements PlatformDescriptor {

    static final String SANDBOX_TOKEN = "xoxb-sandbox-slack";
    static final String SANDBOX_CHANNEL = "C0SANDBOX";

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("slack.base-url", "dev: sandbox; prod: `https://slack.com`", "Slack's server URL (camel-slack's `serverUrl`; it calls `<url>/api/chat.postMessage`)"),
                Setting.secret("slack.bot-token", "*(none)*", "bot token `xoxb-…` with `chat:write`; the bot must be in the channels (required with Slack)"),
                Setting.of("slack.channel", "*(none)*", "channel id of the business notifications, e.g. `C0123456789` (required with Slack)"),
                Setting.of("slack.alerts.channel", "`slack.channel`", "channel id of the operational alerts"),
                Setting.of("slack.messages-per-second-per-channel", "`1`", "messages per second in one channel (Slack: about 1)"),
                Setting.of("slack.opportunities.enabled", "`false`", "announce high-value opportunities"),
                Setting.of("slack.opportunities.min-amount", "`opportunity.high-value-amount`", "a deal worth at least this is announced"),
                Setting.of("slack.deal-link", "*(none)*", "a deal's page, `{deal}` replaced by its id, e.g. `https://app.hubspot.com/contacts/<portal>/record/0-3/{deal}`; blank: no link"),
                Setting.of("slack.conversions.enabled", "`false`", "announce a purchase that makes its customer VIP (`loyalty.vip-amount`)"),
                Setting.of("slack.alerts.enabled", "`false`", "post operational alerts (breakers, dead letters, GA4 accuracy)"),
                Setting.of("slack.alerts.check-ms", "`30000`", "how often the alerts are checked"),
                Setting.of("slack.alerts.repeat-minutes", "`30`", "an alert (or a deal's announcement) repeated within this is counted, not posted"),
                Setting.of("slack.alerts.dead-letters", "`10`", "dead letters of one destination between two checks that raise an alert"),
                Setting.of("slack.alerts.ga4-accuracy-target", "`0.95`", "GA4 sync accuracy under this raises an alert"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("slack", "slack.base-url", "slack", s -> "https://slack.com",
                List.of("slack.bot-token", "slack.channel"),
                PlatformApi.ordered("slack.bot-token", SANDBOX_TOKEN, "slack.channel", SANDBOX_CHANNEL),
                SlackPlatform::used));
    }

    static boolean used(Settings s) {
        return s.getBoolean("slack.opportunities.enabled", false) || s.getBoolean("slack.conversions.enabled", false)
                || s.getBoolean("slack.alerts.enabled", false);
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        SlackMessages messages = setup.bind(new SlackMessages(settings.get("slack.deal-link", "")));
        setup.bind(new SlackCalls(setup.bean(DeliveryRetryPolicy.class),
                settings.getDouble("slack.messages-per-second-per-channel", 1)));
        String token = settings.get("slack.bot-token", "");
        if (!token.isBlank()) {
            // on the component, not in the endpoint URI: every slack: endpoint of the bus posts as the bot
            setup.context().getComponent("slack", SlackComponent.class).setToken(token);
        }
        Duration window = Duration.ofMinutes(settings.getLong("slack.alerts.repeat-minutes", 30));
        setup.bind(new SlackRepeats(window, setup.clock()));
        setup.bind(new SlackAlerts(setup.meters(), messages, new SlackRepeats(window, setup.clock()),
                alertsChannel(settings), settings.getInt("slack.alerts.dead-letters", 10),
                settings.getDouble("slack.alerts.ga4-accuracy-target", 0.95)));
    }

    private static String alertsChannel(Settings settings) {
        String channel = settings.get("slack.alerts.channel", "");
        return channel.isBlank() ? settings.get("slack.channel", "") : channel;
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        Set<String> channels = new LinkedHashSet<>();
        channels.add(settings.get("slack.channel", SANDBOX_CHANNEL));
        String alerts = alertsChannel(settings);
        if (!alerts.isBlank()) {
            channels.add(alerts);
        }
        return List.of(new SlackSandbox(settings.get("slack.bot-token", SANDBOX_TOKEN), channels, setup.clock()));
    }
}
