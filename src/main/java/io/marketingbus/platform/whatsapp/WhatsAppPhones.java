package io.marketingbus.platform.whatsapp;

import java.util.regex.Pattern;

import io.marketingbus.event.Identifiers;

/** Phones as WhatsApp takes them (docs/platforms/whatsapp.md §3): E.164, a country code and at most 15 digits. */
public final class WhatsAppPhones {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private WhatsAppPhones() {
    }

    /**
     * The phone in E.164 ({@code "+34 600 11 22 33"} becomes {@code +34600112233}), or null when it cannot be one: no
     * leading {@code +} (the country code is not guessed), a leading zero, too few or too many digits.
     */
    public static String e164(String phone) {
        String normalised = Identifiers.normalisePhone(phone);
        return normalised != null && E164.matcher(normalised).matches() ? normalised : null;
    }

    /** WhatsApp's {@code to} and {@code wa_id} form: the E.164 digits without the {@code +}. */
    public static String waId(String e164) {
        return e164.substring(1);
    }

    /** For log lines: {@code +34600112233} becomes {@code +34*******33}. */
    public static String mask(String phone) {
        if (phone == null || phone.length() < 5) {
            return "***";
        }
        return phone.substring(0, 3) + "*".repeat(phone.length() - 5) + phone.substring(phone.length() - 2);
    }
}
