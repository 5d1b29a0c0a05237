package io.marketingbus.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.config.Settings;

/**
 * One OAuth2 access token per credential, shared by every thread and route that calls the platform with it, and
 * refreshed before it expires: at {@code expires_in} minus a margin of 10 % of the token's life, at most 5 min
 * (Google's 3,599 s tokens are refreshed after about 55 min, HubSpot's 1,800 s ones after 27 min). One refresh at a
 * time (single flight): threads that find the token stale while another refreshes it wait for that refresh and take
 * its token. A 401 from the platform asks for one refresh ({@link #refreshAfterRejection}), unless another thread has
 * already replaced the refused token.
 * <p>
 * The token endpoint refusing the credential (400/401: {@code invalid_grant}, {@code invalid_client}) is a setup
 * error: {@link CredentialsRejectedException}, remembered (and not asked again for {@link #RECHECK}) so the
 * destination's held events do not hammer the endpoint; {@link #problem()} says why, for the health check and the
 * {@code marketing_bus_credentials_valid} gauge. A token endpoint that is down (5xx, I/O) is a transient failure,
 * retried like a platform's; the current token is used while it has not expired. No token or secret is logged.
 */
public final class OAuthTokens implements TokenSource {

    /** After a refusal, how long before the token endpoint is asked again. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OAuthTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What a grant posts to the token endpoint (form fields). */
    @FunctionalInterface
    public interface Grant {
        Map<String, String> form(Instant now) throws Exception;
    }

    /** Posts a form to the token endpoint: the answer's status and body. */
    @FunctionalInterface
    public interface Endpoint {
        Answer post(String form) throws IOException, InterruptedException;
    }

    public record Answer(int status, String body) {
    }

    private record Current(String token, Instant refreshAt, Instant expiresAt) {
    }

    private final String credential;
    private final Grant grant;
    private final Endpoint endpoint;
    private final Clock clock;
    private volatile Current current;
    private volatile String problem;
    private Instant refusedAt;
    private long refreshes;

    public OAuthTokens(String credential, Grant grant, Endpoint endpoint, Clock clock) {
        this.credential = credential;
        this.grant = grant;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** The refresh-token grant (Google, HubSpot): {@code grant_type=refresh_token}, client id and secret. */
    public static Grant refreshToken(String clientId, String clientSecret, String refreshToken) {
        return now -> ordered("grant_type", "refresh_token", "client_id", clientId, "client_secret", clientSecret,
                "refresh_token", refreshToken);
    }

    /** Google's service-account JWT bearer grant: a fresh RS256 assertion each time. */
    public static Grant jwtBearer(GoogleServiceAccount account, String scope, String tokenUrl) {
        return now -> ordered("grant_type", GoogleServiceAccount.JWT_BEARER, "assertion",
                account.assertion(scope, tokenUrl, now));
    }

    /** An endpoint reached with the JDK's HTTP client. */
    public static Endpoint http(String tokenUrl) {
        URI uri = URI.create(tokenUrl);
        return form -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        };
    }

    /**
     * The token source of a platform's credential from its settings ({@code <prefix>.oauth.*}, see
     * docs/design.md "OAuth tokens"): a service-account key file (JWT bearer, with {@code scope}), else a refresh token
     * (with client id and secret), else the static {@code staticTokenKey} taken as given. The token endpoint is
     * {@code <prefix>.oauth.token-url}; unset, the platform's sandbox (its base URL plus {@code sandboxTokenPath})
     * when the API is sandboxed, else {@code vendorTokenUrl}. Registered in {@link Credentials} for health and metrics.
     */
    public static TokenSource forCredential(PlatformSetup setup, String prefix, String staticTokenKey,
                                            String baseUrlKey, String sandboxTokenPath, String vendorTokenUrl,
                                            String scope) {
        Settings settings = setup.settings();
        Optional<String> keyFile = settings.find(prefix + ".oauth.service-account-key-file").filter(s -> !s.isBlank());
        Optional<String> refresh = settings.find(prefix + ".oauth.refresh-token").filter(s -> !s.isBlank());
        if (keyFile.isEmpty() && refresh.isEmpty()) {
            return TokenSource.fixed(settings.get(staticTokenKey, ""));
        }
        String baseUrl = settings.get(baseUrlKey, "");
        String tokenUrl = settings.find(prefix + ".oauth.token-url").filter(s -> !s.isBlank())
                .orElse(setup.sandboxed() && baseUrl.contains("/sandbox/") ? baseUrl + sandboxTokenPath : vendorTokenUrl);
        Grant grant;
        if (keyFile.isPresent()) {
            grant = jwtBearer(GoogleServiceAccount.read(Path.of(keyFile.get())), scope, tokenUrl);
        } else {
            grant = refreshToken(settings.require(prefix + ".oauth.client-id"),
                    settings.require(prefix + ".oauth.client-secret"), refresh.get());
        }
        OAuthTokens tokens = new OAuthTokens(prefix, grant, http(tokenUrl), setup.clock());
        Credentials.of(setup).add(tokens);
        return tokens;
    }

    public String credential() {
        return credential;
    }

    /** Why the credential is refused, or null while it works. */
    public String problem() {
        return problem;
    }

    /** Tokens obtained so far. */
    public synchronized long refreshes() {
        return refreshes;
    }

    @Override
    public String token() throws Exception {
        Current c = current;
        if (c != null && clock.instant().isBefore(c.refreshAt())) {
            return c.token();
        }
        synchronized (this) {
            c = current;
            if (c != null && clock.instant().isBefore(c.refreshAt())) {
                return c.token();
            }
            try {
                return fetch();
            } catch (IOException endpointDown) {
                if (c != null && clock.instant().isBefore(c.expiresAt())) {
                    return c.token();
                }
                throw endpointDown;
            }
        }
    }

    @Override
    public synchronized String refreshAfterRejection(String rejected) throws Exception {
        Current c = current;
        if (c != null && !c.token().equals(rejected) && clock.instant().isBefore(c.refreshAt())) {
            return c.token();
        }
        return fetch();
    }

    private String fetch() throws Exception {
        Instant now = clock.instant();
        if (problem != null && refusedAt != null && now.isBefore(refusedAt.plus(RECHECK))) {
            throw new CredentialsRejectedException(credential, problem);
        }
        Answer answer;
        try {
            answer = endpoint.post(encode(grant.form(now)));
        } catch (IOException e) {
            throw new IOException("the token endpoint of " + credential + " cannot be reached: " + e.getMessage(), e);
        }
        if (answer.status() == 400 || answer.status() == 401) {
            JsonNode error = parse(answer.body());
            // OAuth's {"error": "invalid_grant", ...}; HubSpot also answers {"status": "BAD_REFRESH_TOKEN", ...}
            String code = error.path("error").asText(error.path("status").asText("HTTP " + answer.status()));
            String description = error.path("error_description").asText(error.path("message").asText(""));
            String reason = shorten(code + (description.isBlank() ? "" : ": " + description));
            if (!reason.equals(problem)) {
                LOG.warn("The token endpoint refuses the {} credential ({}): its destinations hold their events until "
                        + "the {}.oauth.* settings are fixed", credential, reason, credential);
            }
            problem = reason;
            refusedAt = now;
            throw new CredentialsRejectedException(credential, problem);
        }
        if (answer.status() / 100 != 2) {
            throw new IOException("the token endpoint of " + credential + " answered HTTP " + answer.status());
        }
        JsonNode body = parse(answer.body());
        String token = body.path("access_token").asText("");
        if (token.isBlank()) {
            throw new IOException("the token endpoint of " + credential + " answered without an access_token");
        }
        long life = Math.max(1, body.path("expires_in").asLong(3600));
        Duration lifetime = Duration.ofSeconds(life);
        Duration margin = lifetime.dividedBy(10);
        if (margin.compareTo(MAX_MARGIN) > 0) {
            margin = MAX_MARGIN;
        }
        current = new Current(token, now.plus(lifetime).minus(margin), now.plus(lifetime));
        if (problem != null) {
            LOG.info("The token endpoint accepts the {} credential again", credential);
        }
        problem = null;
        refusedAt = null;
        refreshes++;
        return token;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String shorten(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
