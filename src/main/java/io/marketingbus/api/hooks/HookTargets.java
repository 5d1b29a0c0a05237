package io.marketingbus.api.hooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs a hook may POST to: {@code https} to the platform's own hosts ({@code hooks.zapier.com},
 * {@code hook.<zone>.make.com}); in dev also plain {@code http} to a loopback address (the sandbox, a test's fake).
 * Anything else is refused, so the bus cannot be made to call an arbitrary host of the operator's network.
 */
public final class HookTargets {

    private static final Pattern ZAPIER_HOST = Pattern.compile("^hooks\\.zapier\\.com$");
    private static final Pattern MAKE_HOST = Pattern.compile("^hook\\.[a-z0-9-]+\\.make\\.com$");

    private final String platform;
    private final boolean dev;

    public HookTargets(String platform, boolean dev) {
        this.platform = platform;
        this.dev = dev;
    }

    /** The reason the URL is refused, or null when it may be used. */
    public String problem(String url) {
        if (url == null || url.isBlank()) {
            return "target_url is missing";
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "target_url is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getUserInfo() != null || uri.getFragment() != null) {
            return "target_url must be an absolute URL with a host, no user info and no fragment";
        }
        if (dev && scheme.equals("http") && loopback(host)) {
            return null;
        }
        if (!scheme.equals("https")) {
            return "target_url must be https" + (dev ? " (http only to a loopback address in dev)" : "");
        }
        if (dev && loopback(host)) {
            return null;
        }
        Pattern allowed = platform.equals("make") ? MAKE_HOST : ZAPIER_HOST;
        if (!allowed.matcher(host).matches()) {
            return "target_url must be a " + (platform.equals("make") ? "Make webhook (https://hook.<zone>.make.com/...)"
                    : "Zapier hook (https://hooks.zapier.com/hooks/...)") + " URL";
        }
        return null;
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("^[0-9.]+$") && !host.startsWith("[")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Scheme and host only: a hook's path is its secret. */
    public static String redact(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (URISyntaxException | RuntimeException e) {
            return "(unreadable URL)";
        }
    }
}
