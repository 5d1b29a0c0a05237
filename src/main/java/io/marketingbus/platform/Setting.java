package io.marketingbus.platform;

/**
 * One setting of a platform, as its descriptor declares it: the README's settings table is generated from these
 * (so it cannot drift from the code), and prod refuses a {@link #secret} that is a dev value or too short.
 *
 * @param key         the property, {@code <platform>.<what>}; its environment variable is the upper snake case
 * @param shown       the default as the README shows it (a value, "dev: sandbox", or "*(none)*")
 * @param description what it does, for the README
 * @param secret      a credential: never logged, never defaulted in prod, checked in prod
 */
public record Setting(String key, String shown, String description, boolean secret) {

    public static Setting of(String key, String shown, String description) {
        return new Setting(key, shown, description, false);
    }

    public static Setting secret(String key, String shown, String description) {
        return new Setting(key, shown, description, true);
    }
}
