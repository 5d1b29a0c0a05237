package io.marketingbus.api.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.vertx.core.http.HttpServerRequest;

/**
 * Who may open {@code /v1/stream}: {@code Authorization: Bearer <token>} with the admin token ({@code bus.admin-token})
 * or one of the read keys ({@code api.stream.read-keys}; a read key grants the stream only), compared in constant
 * time. Tokens are never taken from the URL (URLs end up in access logs and browser history).
 * <p>
 * Browsers cannot set headers on a WebSocket: the operator console adds its own check with {@link #or}, e.g. a
 * same-site http-only session cookie it issued, without changing how bearer tokens are checked.
 */
public final class StreamAuth {

    /** The answer to one upgrade request. */
    public enum Decision {
        /** Open the stream. */
        ALLOWED,
        /** No valid credential: 401. */
        UNAUTHORIZED,
        /** Neither an admin token nor a read key is configured, and no other check: 403. */
        OFF
    }

    private final List<byte[]> tokens;
    private final List<Predicate<HttpServerRequest>> others;

    private StreamAuth(List<byte[]> tokens, List<Predicate<HttpServerRequest>> others) {
        this.tokens = tokens;
        this.others = others;
    }

    /**
     * @param adminToken the admin token, null or blank when unset
     * @param readKeys   the stream's read keys (comma list in the setting), blanks ignored
     */
    public static StreamAuth of(String adminToken, List<String> readKeys) {
        List<byte[]> tokens = new ArrayList<>();
        if (adminToken != null && !adminToken.isBlank()) {
            tokens.add(header(adminToken));
        }
        for (String key : readKeys) {
            if (key != null && !key.isBlank()) {
                tokens.add(header(key));
            }
        }
        return new StreamAuth(List.copyOf(tokens), List.of());
    }

    /** Also lets in a request the given check accepts (the console's session cookie). */
    public StreamAuth or(Predicate<HttpServerRequest> check) {
        List<Predicate<HttpServerRequest>> all = new ArrayList<>(others);
        all.add(check);
        return new StreamAuth(tokens, List.copyOf(all));
    }

    public boolean enabled() {
        return !tokens.isEmpty() || !others.isEmpty();
    }

    public Decision check(HttpServerRequest request) {
        if (!enabled()) {
            return Decision.OFF;
        }
        if (bearerMatches(request.getHeader("Authorization"))) {
            return Decision.ALLOWED;
        }
        for (Predicate<HttpServerRequest> other : others) {
            if (other.test(request)) {
                return Decision.ALLOWED;
            }
        }
        return Decision.UNAUTHORIZED;
    }

    /** Whether the Authorization header holds one of the tokens; every token is compared, in constant time. */
    boolean bearerMatches(String authorization) {
        if (authorization == null) {
            return false;
        }
        byte[] given = authorization.trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, given);
        }
        return match;
    }

    private static byte[] header(String token) {
        return ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
    }
}
