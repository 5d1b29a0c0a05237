package io.marketingbus.ingress;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;

/**
 * The secrets of a sender that signs its webhooks with {@code base64(HMAC-SHA256(secret, raw body))} (Shopify,
 * WooCommerce), for several stores at once and several secrets per store during a rotation. The setting is a
 * comma-separated list of {@code <store>=<secret>} entries, or a bare {@code <secret>} that any store may use;
 * a store is matched by its domain, case-insensitively. Signatures are compared as bytes in constant time.
 */
public final class StoreWebhookSecrets {

    private static final String ANY = "*";
    private final Map<String, List<byte[]>> secrets = new LinkedHashMap<>();

    private StoreWebhookSecrets() {
    }

    /** @param setting {@code store=secret,store=newer-secret,shared-secret}; blank: no secret, every webhook refused */
    /**
     * The secrets of {@code setting}, refusing in prod one that is the docs' test secret (the README's curl examples
     * sign with it, so anyone could forge a webhook).
     *
     * @throws InsecureSettingException when not {@code sandboxed} and an entry's secret is {@code devSecret}
     */
    public static StoreWebhookSecrets forProfile(String key, String setting, boolean sandboxed, String devSecret) {
        StoreWebhookSecrets parsed = parse(setting);
        if (!sandboxed && parsed.secrets.values().stream().flatMap(List::stream)
                .anyMatch(secret -> MessageDigest.isEqual(secret, devSecret.getBytes(StandardCharsets.UTF_8)))) {
            throw new InsecureSettingException(List.of(key + " (environment variable "
                    + MissingSettingException.envName(key) + "): the docs' test secret, a dev value"));
        }
        return parsed;
    }

    public static StoreWebhookSecrets parse(String setting) {
        StoreWebhookSecrets parsed = new StoreWebhookSecrets();
        if (setting == null) {
            return parsed;
        }
        for (String entry : setting.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String store = eq < 0 ? ANY : trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String secret = eq < 0 ? trimmed : trimmed.substring(eq + 1).trim();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("a webhook secret entry for " + store + " has no secret");
            }
            parsed.secrets.computeIfAbsent(store, s -> new ArrayList<>()).add(secret.getBytes(StandardCharsets.UTF_8));
        }
        return parsed;
    }

    /**
     * A per-store setting in the same form ({@code <value>,<store>=<value>}): each store's value by its domain, the
     * bare value under {@code *} (the stores not named).
     */
    public static Map<String, String> perStore(String setting) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : (setting == null ? "" : setting).split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                int eq = trimmed.indexOf('=');
                values.put(eq < 0 ? ANY : trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                        eq < 0 ? trimmed : trimmed.substring(eq + 1).trim());
            }
        }
        return values;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** True when one of the store's secrets (or a shared one) signed these exact bytes. */
    public boolean verifies(String store, byte[] rawBody, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        List<byte[]> candidates = new ArrayList<>(secrets.getOrDefault(
                store == null ? "" : store.toLowerCase(Locale.ROOT), List.of()));
        candidates.addAll(secrets.getOrDefault(ANY, List.of()));
        boolean matched = false;
        for (byte[] secret : candidates) {
            // every candidate is computed and compared: the time taken does not tell which one matched
            matched |= MessageDigest.isEqual(hmac(secret, rawBody), presented);
        }
        return matched;
    }

    /** {@code base64(HMAC-SHA256(secret, body))}, as the stores sign (and as the README's curl examples do). */
    public static String sign(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
