package io.marketingbus.platform.hubspot;

import io.marketingbus.ingress.WebhookRejectedException;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HubSpot webhook signatures, version 3 (docs/platforms/hubspot.md §2): base64 of HMAC-SHA256, keyed with the app's
 * client secret, over {@code method + uri + rawBody + timestamp}; requests older than five minutes are refused,
 * so a captured request cannot be replayed later. The URI is the public one HubSpot called, not the one the bus
 * sees behind a proxy.
 */
public final class HubSpotSignatureVerifier {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final byte[] clientSecret;
    private final Clock clock;

    /** @param clientSecret the app's client secret; blank (HubSpot not used) refuses every request */
    public HubSpotSignatureVerifier(String clientSecret, Clock clock) {
        this.clientSecret = clientSecret == null || clientSecret.isBlank() ? null
                : clientSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** @throws WebhookRejectedException 401 with the reason when the request is not authentic or too old */
    public void verify(String method, String uri, byte[] rawBody, String timestamp, String signature) {
        if (clientSecret == null) {
            throw new WebhookRejectedException(401, "HubSpot webhooks are not taken: no hubspot.client-secret (HubSpot is no flow's CRM)", false);
        }
        if (signature == null || signature.isBlank()) {
            throw new WebhookRejectedException(401, "missing X-HubSpot-Signature-v3", false);
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp == null ? "" : timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookRejectedException(401, "missing or invalid X-HubSpot-Request-Timestamp", false);
        }
        long age = clock.millis() - sentAt;
        if (age > MAX_AGE.toMillis() || age < -MAX_AGE.toMillis()) {
            throw new WebhookRejectedException(401, "X-HubSpot-Request-Timestamp is more than 5 minutes away", false);
        }
        byte[] expected = sign(method, uri, rawBody, timestamp.trim()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookRejectedException(401, "X-HubSpot-Signature-v3 does not match", false);
        }
    }

    /** The v3 signature HubSpot would send for this request; also what the README uses to sign test requests. */
    public String sign(String method, String uri, byte[] rawBody, String timestamp) {
        if (clientSecret == null) {
            throw new IllegalStateException("no hubspot.client-secret to sign with");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret, "HmacSHA256"));
            mac.update(method.getBytes(StandardCharsets.UTF_8));
            mac.update(uri.getBytes(StandardCharsets.UTF_8));
            mac.update(rawBody);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
