package io.marketingbus.platform.mailchimp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.marketingbus.config.Settings;
import io.marketingbus.event.LoyaltyTiers;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;

/**
 * Mailchimp (docs/platforms/mailchimp.md): flow 1's audience webhooks, flow 3's loyalty tags. Connector:
 * {@code routes/platforms/mailchimp.camel.yaml}.
 */
public final class MailchimpPlatform implements PlatformDescriptor {

    /** The dev profile's webhook path secret. */
    public static final String DEV_WEBHOOK_SECRET = "sandbox";

    @Override
    public String name() {
        return "mailchimp";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.secret("mailchimp.webhook-secret", "dev: `sandbox`", "secret path segment of the webhook URL (required in prod)"),
                Setting.of("mailchimp.fired-at-max-future-ms", "14 h", "`fired_at` has no zone (read as UTC): a time stamped in any zone still passes"),
                Setting.of("mailchimp.echo-window-ms", "`600000`", "Mailchimp webhooks for members the bus just wrote are ignored"),
                Setting.of("mailchimp.base-url", "dev: sandbox; prod: from the API key's data centre", "the Marketing API"),
                Setting.secret("mailchimp.api-key", "dev: sandbox value", "required when Mailchimp is the loyalty provider"),
                Setting.of("mailchimp.list-id", "dev: sandbox value", "the audience; required when Mailchimp is the loyalty provider"),
                Setting.of("mailchimp.status-if-new", "`transactional`", "status of members the bus creates"),
                Setting.of("mailchimp.tracked-contacts.enabled", "`false`", "upsert the tracking API's contacts (identify with an e-mail) as members of `mailchimp.list-id`"),
                Setting.of("mailchimp.tracked-contacts.status-if-new", "`transactional`", "status of tracked members Mailchimp does not have yet: `transactional` (no marketing e-mail) or `pending` (Mailchimp asks them to confirm); never `subscribed`"),
                Setting.of("mailchimp.max-connections", "`5`", "simultaneous Mailchimp calls (Mailchimp allows 10 per account)"),
                Setting.of("loyalty.mailchimp.tags.first", "`loyalty-first-purchase`", "tag that starts the first-purchase journey"),
                Setting.of("loyalty.mailchimp.tags.repeat", "`loyalty-repeat`", "tag that starts the repeat-purchase journey"),
                Setting.of("loyalty.mailchimp.tags.vip", "`loyalty-vip`", "tag that starts the VIP journey"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(new PlatformApi("mailchimp", "mailchimp.base-url", "mailchimp", MailchimpPlatform::apiUrl,
                List.of("mailchimp.api-key", "mailchimp.list-id"),
                PlatformApi.ordered("mailchimp.api-key", "sandbox-us1", "mailchimp.list-id", "a6b5da1054"),
                s -> "mailchimp".equals(s.get("loyalty.provider", "mailchimp"))
                        || s.getBoolean("mailchimp.tracked-contacts.enabled", false)));
    }

    @Override
    public Map<String, String> devDefaults() {
        return Map.of("mailchimp.webhook-secret", DEV_WEBHOOK_SECRET);
    }

    /** Mailchimp's API host carries the data centre, the suffix of the API key ({@code …-us21}). */
    static String apiUrl(Settings settings) {
        String key = settings.get("mailchimp.api-key", "");
        int dash = key.lastIndexOf('-');
        return dash < 0 ? "https://mailchimp-api-key-without-data-centre.invalid/3.0"
                : "https://" + key.substring(dash + 1) + ".api.mailchimp.com/3.0";
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        MailchimpEchoes echoes = setup.bind(new MailchimpEchoes(
                Duration.ofMillis(settings.getLong("mailchimp.echo-window-ms", 600_000)), setup.clock()));
        setup.bind(new MailchimpIngress(new SharedSecret(settings.require("mailchimp.webhook-secret")),
                new MailchimpWebhookTranslator(), setup.codec(), echoes,
                setup.bean(EventTimeWindow.class).withMaxFuture(
                        Duration.ofMillis(settings.getLong("mailchimp.fired-at-max-future-ms", 50_400_000L)))));
        setup.bind(new MailchimpLoyalty(settings.get("mailchimp.list-id", ""),
                settings.get("mailchimp.status-if-new", "transactional"),
                LoyaltyTiers.of("loyalty.mailchimp.tags", k -> settings.get(k, "")), echoes));
        setup.bind(new MailchimpTrackedContacts(settings.get("mailchimp.list-id", ""),
                settings.get("mailchimp.tracked-contacts.status-if-new", "transactional"), echoes));
        setup.bind(new MailchimpConnector(settings.get("mailchimp.api-key", "")));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        return List.of(new MailchimpSandbox(setup.settings().get("mailchimp.api-key", "sandbox-us1"),
                setup.settings().get("mailchimp.list-id", "a6b5da1054")));
    }
}
