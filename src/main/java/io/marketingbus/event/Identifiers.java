package io.marketingbus.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Normalisation and hashing of personal identifiers shared by every translator. */
public final class Identifiers {

    private Identifiers() {
    }

    /** Trimmed and lower-cased, the form every platform we talk to compares e-mails in. */
    public static String normaliseEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** A plausible e-mail address: one {@code @}, something on both sides, no whitespace. */
    public static boolean isEmail(String email) {
        if (email == null) {
            return false;
        }
        int at = email.indexOf('@');
        return at > 0 && at == email.lastIndexOf('@') && at < email.length() - 1
                && email.chars().noneMatch(Character::isWhitespace);
    }

    /** Keeps a leading {@code +} and the digits: {@code "+34 600 11 22 33"} becomes {@code "+34600112233"}. */
    public static String normalisePhone(String phone) {
        if (phone == null) {
            return null;
        }
        String trimmed = phone.trim();
        String digits = trimmed.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            return null;
        }
        return trimmed.startsWith("+") ? "+" + digits : digits;
    }

    /** For log lines: {@code lucia.martin@example.com} becomes {@code l***@example.com}. */
    public static String maskEmail(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    private static final java.util.regex.Pattern EMAIL_IN_TEXT =
            java.util.regex.Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@|%40)([A-Za-z0-9.-]+)");

    /** Masks every e-mail address inside free text (exception messages, platform error bodies) before logging. */
    public static String maskEmailsIn(String text) {
        if (text == null || (text.indexOf('@') < 0 && text.indexOf("%40") < 0)) {
            // no address in it: the regular expression would scan the whole text for nothing
            return text;
        }
        return EMAIL_IN_TEXT.matcher(text).replaceAll("$1***$2$3");
    }

    /**
     * For log lines and the live stream: {@code +34 600 11 22 33} becomes {@code +34*******33} (a leading {@code +}
     * and two digits, the last two digits); a number of four digits or fewer is masked whole.
     */
    public static String maskPhone(String phone) {
        String digits = normalisePhone(phone);
        if (digits == null) {
            return phone == null ? null : "***";
        }
        String plus = digits.startsWith("+") ? "+" : "";
        String number = plus.isEmpty() ? digits : digits.substring(1);
        if (number.length() <= 4) {
            return plus + "***";
        }
        return plus + number.substring(0, 2) + "*".repeat(number.length() - 4) + number.substring(number.length() - 2);
    }

    /** International numbers ({@code +} and 7 or more digits, spaces allowed) and runs of 9 to 15 digits. */
    private static final java.util.regex.Pattern PHONE_IN_TEXT =
            java.util.regex.Pattern.compile("\\+\\d[\\d ().-]{5,}\\d|(?<![\\w.:-])\\d{9,15}(?![\\w.:-])");

    /** Masks phone numbers inside free text (platform error bodies) before they leave the bus. */
    public static String maskPhonesIn(String text) {
        return text == null ? null : PHONE_IN_TEXT.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                maskPhone(m.group())));
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(digest("SHA-256", value));
    }

    public static String md5Hex(String value) {
        return HexFormat.of().formatHex(digest("MD5", value));
    }

    private static byte[] digest(String algorithm, String value) {
        try {
            return MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }
}
