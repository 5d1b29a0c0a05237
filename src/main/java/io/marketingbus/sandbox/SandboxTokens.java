package io.marketingbus.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.config.Settings;
import io.marketingbus.platform.GoogleServiceAccount;

/**
 * A sandbox's OAuth token endpoint and the check of its API's bearer tokens. Without OAuth settings the API takes
 * the static token as today. With {@code <prefix>.oauth.refresh-token} (and client id and secret) or a
 * service-account key file, the endpoint issues tokens for exactly those credentials, which expire after
 * {@code sandbox.oauth.token-lifetime-ms} (the vendor's life by default), and the API accepts only tokens it issued
 * that have not expired: a 401 otherwise, as the real APIs answer. A wrong refresh token or client is
 * {@code invalid_grant} / {@code invalid_client} (HTTP 400).
 */
public final class SandboxTokens {

    private final String staticToken;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final GoogleServiceAccount account;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();

    SandboxTokens(String staticToken, String clientId, String clientSecret, String refreshToken,
                  GoogleServiceAccount account, Duration lifetime, Clock clock) {
        this.staticToken = staticToken;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.account = account;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A static token only (a private-app token), never issued here. */
    public static SandboxTokens fixed(String token) {
        return new SandboxTokens(token, "", "", "", null, Duration.ZERO, Clock.systemUTC());
    }

    /** The sandbox tokens of a platform's credential ({@code <prefix>.oauth.*}). */
    public static SandboxTokens of(Settings settings, String prefix, String staticTokenKey, Duration vendorLifetime,
                                   Clock clock) {
        String keyFile = settings.get(prefix + ".oauth.service-account-key-file", "");
        return new SandboxTokens(settings.get(staticTokenKey, ""), settings.get(prefix + ".oauth.client-id", ""),
                settings.get(prefix + ".oauth.client-secret", ""), settings.get(prefix + ".oauth.refresh-token", ""),
                keyFile.isBlank() ? null : GoogleServiceAccount.read(Path.of(keyFile)),
                Duration.ofMillis(settings.getLong("sandbox.oauth.token-lifetime-ms", vendorLifetime.toMillis())), clock);
    }

    /** True when the credential is OAuth (tokens issued here), false for a static token. */
    public boolean oauth() {
        return !refreshToken.isBlank() || account != null;
    }

    /** Whether the request carries a token the API accepts now. */
    public boolean accepts(SandboxRequest request) {
        if (!oauth()) {
            return SandboxJson.bearer(request, staticToken);
        }
        String auth = request.header("authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return false;
        }
        Instant expires = issued.get(auth.substring(7));
        return expires != null && clock.instant().isBefore(expires);
    }

    /** The token endpoint: {@code POST} form with the refresh-token or JWT bearer grant. */
    public SandboxResponse grant(SandboxRequest request) {
        if (!"POST".equals(request.method())) {
            return error(405, "invalid_request", "use POST");
        }
        String type = request.header("content-type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return error(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(new String(request.body(), StandardCharsets.UTF_8));
        String grantType = form.getOrDefault("grant_type", "");
        if ("refresh_token".equals(grantType)) {
            if (refreshToken.isBlank() || !clientId.equals(form.get("client_id"))
                    || !clientSecret.equals(form.get("client_secret"))) {
                return error(401, "invalid_client", "The OAuth client was not found.");
            }
            if (!refreshToken.equals(form.get("refresh_token"))) {
                return error(400, "invalid_grant", "Token has been expired or revoked.");
            }
            return issue();
        }
        if (GoogleServiceAccount.JWT_BEARER.equals(grantType)) {
            return account == null ? error(401, "invalid_client", "no service account is configured")
                    : validAssertion(form.getOrDefault("assertion", "")) ? issue()
                    : error(400, "invalid_grant", "Invalid JWT Signature.");
        }
        return error(400, "unsupported_grant_type", "grant_type must be refresh_token or " + GoogleServiceAccount.JWT_BEARER);
    }

    /** Tokens issued so far (the sandbox's {@code tokens} collection). */
    public JsonNode state() {
        return SandboxJson.MAPPER.createObjectNode().put("issued", count.get()).put("oauth", oauth());
    }

    private boolean validAssertion(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            PublicKey key = account.publicKey();
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = SandboxJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            return account.clientEmail().equals(claims.path("iss").asText()) && claims.path("exp").asLong() > now
                    && claims.path("exp").asLong() - claims.path("iat").asLong() <= 3600;
        } catch (Exception e) {
            return false;
        }
    }

    private SandboxResponse issue() {
        Instant now = clock.instant();
        for (Iterator<Instant> it = issued.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
        String token = "sbx-" + UUID.randomUUID();
        issued.put(token, now.plus(lifetime));
        count.incrementAndGet();
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        body.put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", Math.max(1, lifetime.toSeconds()));
        return SandboxResponse.json(200, body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static SandboxResponse error(int status, String code, String description) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        body.put("error", code).put("error_description", description);
        return SandboxResponse.json(status, body);
    }
}
