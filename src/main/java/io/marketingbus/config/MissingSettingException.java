package io.marketingbus.config;

import java.util.List;

/** Start-up refused because settings are missing; the message names each of them and its environment variable. */
public class MissingSettingException extends IllegalStateException {

    public MissingSettingException(List<String> keys) {
        super(describe(keys));
    }

    private static String describe(List<String> keys) {
        StringBuilder sb = new StringBuilder("marketing-bus cannot start: missing setting");
        sb.append(keys.size() > 1 ? "s" : "").append(':');
        for (String key : keys) {
            // "a or b": either will do (a static token, or the refresh token that gets one)
            sb.append("\n  - ").append(String.join(" or ", java.util.Arrays.stream(key.split(" or "))
                    .map(k -> k + " (environment variable " + envName(k) + ")").toList()));
        }
        return sb.toString();
    }

    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
