package io.marketingbus.api.hooks;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One place events are POSTed to: a hook from the configuration ({@code zapier.hooks}, {@code make.hooks}) or a
 * Zapier REST-hook subscription ({@code POST /v1/hooks}, docs/api-hooks.md).
 *
 * @param id           {@code cfg-<name>} for a configured hook, {@code h-<random>} for a subscription
 * @param platform     {@code zapier} or {@code make}: whose delivery sends to it
 * @param owner        the configured hook's name, or the API key's name that subscribed it
 * @param url          the catch-hook or webhook URL (the URL is the credential: never logged whole)
 * @param events       event types, or patterns ending in {@code *} ({@code marketing.contact.*}), or {@code *}
 * @param personalData true: e-mails and phones in clear (only a configured hook can ask for it)
 * @param subscription true for a REST-hook subscription (a 410 Gone unsubscribes it)
 */
public record Hook(String id, String platform, String owner, String url, List<String> events, boolean personalData,
                   boolean subscription) {

    /** A type or pattern a hook may filter on. */
    static final Pattern EVENT_PATTERN = Pattern.compile("^\\*$|^marketing\\.[a-z-]+\\.[a-z-]+$|^marketing\\.([a-z-]+\\.)?\\*$");

    public Hook {
        events = List.copyOf(events);
    }

    /** True when the hook takes events of this type. */
    public boolean takes(String type) {
        for (String pattern : events) {
            if (pattern.equals("*") || pattern.equals(type)
                    || (pattern.endsWith("*") && type.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The URL without its secret part (the path), for logs and answers that must not leak the credential. */
    public String redactedUrl() {
        return HookTargets.redact(url);
    }
}
