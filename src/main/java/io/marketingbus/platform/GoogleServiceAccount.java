package io.marketingbus.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Google service account's JSON key file, for the JWT bearer grant (RFC 7523; docs/platforms/google-ads.md §2): an
 * RS256-signed assertion with {@code iss} the account's e-mail, the API's {@code scope}, {@code aud} the token URI,
 * {@code iat} now and {@code exp} one hour later (Google's maximum). JDK crypto only.
 */
public final class GoogleServiceAccount {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final String clientEmail;
    private final String keyId;
    private final PrivateKey key;

    public GoogleServiceAccount(String clientEmail, String keyId, PrivateKey key) {
        this.clientEmail = clientEmail;
        this.keyId = keyId;
        this.key = key;
    }

    /** Reads a key file as the Cloud console downloads it ({@code client_email}, {@code private_key} PEM). */
    public static GoogleServiceAccount read(Path keyFile) {
        try {
            return parse(Files.readString(keyFile));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the service-account key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public static GoogleServiceAccount parse(String keyJson) {
        try {
            JsonNode node = JSON.readTree(keyJson);
            String email = node.path("client_email").asText("");
            String pem = node.path("private_key").asText("");
            if (email.isBlank() || !pem.contains("PRIVATE KEY")) {
                throw new IllegalStateException("a service-account key file needs client_email and private_key");
            }
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new GoogleServiceAccount(email, node.path("private_key_id").asText(""), key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // never the key itself in the message
            throw new IllegalStateException("the service-account key file is not a valid key file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The public half of the key (the sandbox verifies assertions with it). */
    public java.security.PublicKey publicKey() {
        try {
            java.security.interfaces.RSAPrivateCrtKey crt = (java.security.interfaces.RSAPrivateCrtKey) key;
            return KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (ClassCastException | GeneralSecurityException e) {
            throw new IllegalStateException("the service-account key has no public half", e);
        }
    }

    public String clientEmail() {
        return clientEmail;
    }

    /** A signed assertion valid for one hour from {@code now}. */
    public String assertion(String scope, String audience, Instant now) throws GeneralSecurityException {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (!keyId.isBlank()) {
            header.put("kid", keyId);
        }
        ObjectNode claims = JSON.createObjectNode().put("iss", clientEmail).put("scope", scope).put("aud", audience)
                .put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 3600);
        String signingInput = URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + URL.encodeToString(rs256.sign());
    }
}
