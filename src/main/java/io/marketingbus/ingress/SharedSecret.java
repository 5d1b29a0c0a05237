package io.marketingbus.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A secret carried in a webhook URL, compared in constant time so response timing reveals nothing about it. */
public final class SharedSecret {

    private final byte[] expected;

    public SharedSecret(String expected) {
        if (expected == null || expected.isBlank()) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        this.expected = expected.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String presented) {
        byte[] candidate = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, candidate);
    }
}
