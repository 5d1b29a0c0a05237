package io.marketingbus.api.tracking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;

/**
 * The tracking API's write keys ({@code tracking.write-keys}: {@code <source>=<key>} entries, comma-separated; a
 * source may have two keys during a rotation). A key names its source, which becomes the CloudEvents source
 * {@code /tracking/<source>}; the key itself goes no further than this class. Every key is compared in constant
 * time, and every one of them on every call, so the time taken says nothing about which key was close.
 */
public final class WriteKeys {

    /** The dev profile's key, the one the README's curl examples use; prod refuses it. */
    public static final String DEV_KEY = "dev-write-key";
    public static final String DEV_SETTING = "web=" + DEV_KEY;

    /** A write key resolved: its source, and an id for its rate limit ({@code web#2}) that is not the key. */
    public record WriteKey(String source, String id) {
    }

    private record Entry(byte[] key, WriteKey writeKey) {
    }

    private final List<Entry> entries;

    private WriteKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /** @throws InsecureSettingException in prod, when a key is the dev key */
    public static WriteKeys forProfile(String key, String setting, boolean sandboxed) {
        WriteKeys keys = parse(setting);
        if (!sandboxed && keys.entries.stream().anyMatch(e -> MessageDigest.isEqual(e.key,
                DEV_KEY.getBytes(StandardCharsets.UTF_8)))) {
            throw new InsecureSettingException(List.of(key + " (environment variable " + MissingSettingException.envName(key)
                    + "): " + DEV_KEY + " is the README's dev key"));
        }
        return keys;
    }

    public static WriteKeys parse(String setting) {
        List<Entry> entries = new ArrayList<>();
        if (setting != null) {
            for (String part : setting.split(",")) {
                String trimmed = part.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                String source = eq < 0 ? "" : trimmed.substring(0, eq).trim();
                String key = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
                if (!source.matches("[a-z0-9][a-z0-9-]{0,62}") || key.isEmpty()) {
                    throw new IllegalArgumentException("tracking.write-keys: each entry is <source>=<key>, the source in "
                            + "lower case letters, digits and dashes (an entry is not)");
                }
                long sameSource = entries.stream().filter(e -> e.writeKey.source().equals(source)).count();
                entries.add(new Entry(key.getBytes(StandardCharsets.UTF_8),
                        new WriteKey(source, source + "#" + (sameSource + 1))));
            }
        }
        return new WriteKeys(List.copyOf(entries));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The key's source, or null for an unknown, empty or missing key. */
    public WriteKey resolve(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        WriteKey found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.key, given) && found == null) {
                found = entry.writeKey;
            }
        }
        return found;
    }
}
