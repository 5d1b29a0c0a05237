package io.marketingbus.event;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The loyalty tiers the conversion flow's router chooses ({@code routes/flows/conversion.camel.yaml}) and what each
 * provider does for a tier (a Mailchimp tag, an ActiveCampaign automation), from the provider's settings.
 */
public final class LoyaltyTiers {

    /** Tiers every rule in the route file may choose. */
    public static final Set<String> TIERS = Set.of("first", "repeat", "vip");

    private final Map<String, String> byTier;
    private final String setting;

    private LoyaltyTiers(Map<String, String> byTier, String setting) {
        this.byTier = Map.copyOf(byTier);
        this.setting = setting;
    }

    /** The configured tiers of {@code <setting>.<tier>}; blank ones are left out. */
    public static LoyaltyTiers of(String setting, Function<String, String> lookup) {
        Map<String, String> map = new ConcurrentHashMap<>();
        TIERS.forEach(t -> {
            String v = lookup.apply(setting + "." + t);
            if (v != null && !v.isBlank()) {
                map.put(t, v.trim());
            }
        });
        return new LoyaltyTiers(map, setting);
    }

    /** @throws IllegalStateException when the tier has no value configured */
    public String require(String tier) {
        String value = byTier.get(tier);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("no " + setting + "." + tier + " configured");
        }
        return value;
    }
}
