package io.marketingbus.event;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A CRM's free-text country as ISO 3166-1 alpha-2: "ES", "es" and "Spain" all become ES; anything else is null. */
public final class Countries {

    private static final Map<String, String> CODES = codes();

    private Countries() {
    }

    public static String code(String value) {
        return value == null ? null : CODES.get(value.trim().toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> codes() {
        Map<String, String> codes = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            codes.put(code.toLowerCase(Locale.ROOT), code);
            codes.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
        return codes;
    }
}
