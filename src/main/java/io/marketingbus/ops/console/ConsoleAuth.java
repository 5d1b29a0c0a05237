package io.marketingbus.ops.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may use the console: a browser with the session cookie {@value #COOKIE} that {@code POST /console/login} set
 * (after the admin token was typed into the form), or a script with {@code Authorization: Bearer <bus.admin-token>}.
 * Tokens are compared in constant time and never read from a URL. With no admin token set the console is off.
 */
public final class ConsoleAuth {

    public static final String COOKIE = "bus_console";

    private final byte[] token;
    private final byte[] bearer;
    private final ConsoleSessions sessions;

    /** @param adminToken {@code bus.admin-token}; null or blank turns the console off */
    public ConsoleAuth(String adminToken, ConsoleSessions sessions) {
        boolean set = adminToken != null && !adminToken.isBlank();
        this.token = set ? adminToken.trim().getBytes(StandardCharsets.UTF_8) : null;
        this.bearer = set ? ("Bearer " + adminToken.trim()).getBytes(StandardCharsets.UTF_8) : null;
        this.sessions = sessions;
    }

    /** False when {@code bus.admin-token} is unset: every console answer is then 403. */
    public boolean enabled() {
        return token != null;
    }

    /** A signed-in browser (its session is kept alive) or a script with the admin bearer token. */
    public boolean authorised(RoutingContext ctx) {
        return authorised(ctx.request());
    }

    public boolean authorised(HttpServerRequest request) {
        return enabled() && (matches(bearer, request.getHeader("Authorization")) || signedIn(request));
    }

    /**
     * For {@code StreamAuth.or}: a browser's WebSocket carries the cookie, never a header; one opened by a page of
     * another site is refused by its Origin (a WebSocket is not bound by the same-origin policy).
     */
    public boolean signedInSameOrigin(HttpServerRequest request) {
        return enabled() && sameOrigin(request) && signedIn(request);
    }

    /** Answers 403 (console off) or 401 as JSON; for parts whose {@link #authorised} said no. */
    public void refuse(RoutingContext ctx) {
        String body = enabled() ? "{\"error\":\"sign in at /console, or send Authorization: Bearer <bus.admin-token>\"}"
                : "{\"error\":\"the console is off: set bus.admin-token\"}";
        ctx.response().setStatusCode(enabled() ? 401 : 403).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body);
    }

    /** Whether the typed token is the admin token (constant time). */
    boolean tokenMatches(String typed) {
        return enabled() && matches(token, typed == null ? null : typed.trim());
    }

    /** Starts a session and sets its cookie on the answer. */
    void signIn(RoutingContext ctx) {
        ctx.response().addCookie(Cookie.cookie(COOKIE, sessions.create()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT));
    }

    /** Ends the request's session, if any, and expires its cookie. */
    void signOut(RoutingContext ctx) {
        sessions.remove(sessionId(ctx.request()));
        ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }

    boolean signedIn(HttpServerRequest request) {
        return sessions.touch(sessionId(request));
    }

    /**
     * Whether a request comes from this server's own pages. Browsers say so in {@code Sec-Fetch-Site}, which decides
     * when present ({@code same-site} is refused too: the webhook port is the same site); without it, {@code Origin}
     * must be this server. A request with neither (curl, a script) passes: it has no cookie to abuse. The Origin of
     * the console's own form posts is {@code null} in Chrome, because of {@code Referrer-Policy: no-referrer}.
     */
    static boolean sameOrigin(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none");
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        // Host, or :authority once a client upgraded to HTTP/2
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        String host = authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
        return origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
    }

    private static String sessionId(HttpServerRequest request) {
        Cookie cookie = request.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static boolean matches(byte[] expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8));
    }
}
