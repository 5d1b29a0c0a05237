package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's sign-in and access rules over plain HTTP: what a browser, a script and another site get. */
class ConsoleAccessTest {

    static final String TOKEN = "console-test-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("bus.admin-token", TOKEN));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void withoutASessionTheConsoleIsTheSignInFormWithTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/console", Map.of());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/console/login\"", "name=\"token\"")
                .doesNotContain("tab-overview", TOKEN);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void aWrongTokenIsRefusedWithTheFormAgainAndNoCookie() throws Exception {
        HttpResponse<String> answer = login("not-the-token", Map.of());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("id=\"login-error\"", "not the admin token").doesNotContain("not-the-token");
        assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void theRightTokenSetsAnHttpOnlySameSiteStrictCookieThatOpensTheShell() throws Exception {
        HttpResponse<String> answer = login(TOKEN, Map.of());

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).hasValue("/console");
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("bus_console=").doesNotContain(TOKEN);
        assertThat(setCookie.toLowerCase(java.util.Locale.ROOT)).contains("; httponly", "; samesite=strict", "; path=/");
        String cookie = cookie(answer);
        assertThat(cookie.substring("bus_console=".length())).hasSize(43); // 256 random bits, base64url

        HttpResponse<String> shell = get("/console", Map.of("Cookie", cookie));
        assertThat(shell.statusCode()).isEqualTo(200);
        assertThat(shell.body()).contains("id=\"tab-overview\"", "id=\"tab-live\"", "id=\"tab-dead-letters\"",
                "id=\"tab-kpis\"", "<section id=\"overview\"", "/console/assets/console.js").doesNotContain(TOKEN);
        assertThat(shell.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");
    }

    @Test
    void theApiAnswers401JsonWithoutASessionAndLetsInTheCookieOrTheBearerToken() throws Exception {
        HttpResponse<String> anonymous = get("/console/api/overview/summary", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(anonymous.body()).contains("\"error\"");

        assertThat(get("/console/api/nothing-here", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/console/api/nothing-here", Map.of("Authorization", "Bearer " + TOKEN)).statusCode())
                .isEqualTo(404);
        String cookie = cookie(login(TOKEN, Map.of()));
        assertThat(get("/console/api/nothing-here", Map.of("Cookie", cookie)).statusCode()).isEqualTo(404);
        assertThat(get("/console/api/nothing-here", Map.of("Cookie", "bus_console=forged")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aPostFromAnotherOriginIsRefusedEvenWithTheRightToken() throws Exception {
        HttpResponse<String> answer = login(TOKEN, Map.of("Origin", "https://evil.example"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(login(TOKEN, Map.of("Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(403);
        assertThat(login(TOKEN, Map.of("Sec-Fetch-Site", "same-site")).statusCode()).isEqualTo(403);
        assertThat(login(TOKEN, Map.of("Origin", "null")).statusCode()).isEqualTo(403);
        // what Chrome sends for the console's own form under Referrer-Policy: no-referrer
        assertThat(login(TOKEN, Map.of("Sec-Fetch-Site", "same-origin", "Origin", "null")).statusCode()).isEqualTo(303);
        assertThat(login(TOKEN, Map.of("Origin", bus.managementUrl(""))).statusCode()).isEqualTo(303);
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        String cookie = cookie(login(TOKEN, Map.of()));
        assertThat(get("/console/api/x", Map.of("Cookie", cookie)).statusCode()).isEqualTo(404);

        HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/console/logout")))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("bus_console=;").contains("Max-Age=0");

        assertThat(get("/console/api/x", Map.of("Cookie", cookie)).statusCode()).isEqualTo(401);
        assertThat(get("/console", Map.of("Cookie", cookie)).body()).contains("action=\"/console/login\"");
    }

    @Test
    void theAssetsAndUPlotAreServedFromTheJarWithTypesAndCaching() throws Exception {
        HttpResponse<String> js = get("/console/assets/console.js", Map.of());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(js.body()).contains("const Console");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/console/assets/console.js", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);

        HttpResponse<String> css = get("/console/assets/console.css", Map.of());
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");

        HttpResponse<String> uplot = get("/console/assets/uplot/uPlot.iife.min.js", Map.of());
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(uplot.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        assertThat(uplot.body()).contains("uPlot");
        assertThat(get("/console/assets/uplot/uPlot.min.css", Map.of()).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");

        assertThat(get("/console/assets/nothing.js", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/index.html", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/..%2Flog4j2.xml", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/uplot/package.json", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void aSignedInBrowsersWebSocketToTheStreamIsAcceptedByItsCookieFromTheSameOriginOnly() throws Exception {
        String cookie = cookie(login(TOKEN, Map.of()));
        URI stream = URI.create(bus.managementUrl("/v1/stream").replace("http:", "ws:"));

        WebSocket open = HTTP.newWebSocketBuilder().header("Cookie", cookie).buildAsync(stream, new WebSocket.Listener() {
        }).get(10, TimeUnit.SECONDS);
        open.abort();

        assertThat(handshakeStatus(stream, Map.of())).isEqualTo(401);
        assertThat(handshakeStatus(stream, Map.of("Cookie", "bus_console=forged"))).isEqualTo(401);
        assertThat(handshakeStatus(stream, Map.of("Cookie", cookie, "Origin", "https://evil.example"))).isEqualTo(401);
    }

    private static int handshakeStatus(URI stream, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        headers.forEach(builder::header);
        Throwable refused = catchThrowable(() -> builder.buildAsync(stream, new WebSocket.Listener() {
        }).join());
        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
    }

    static String cookie(HttpResponse<?> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static HttpResponse<String> login(String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.managementUrl("/console/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token,
                        java.nio.charset.StandardCharsets.UTF_8)));
        headers.forEach(request::header);
        return send(request);
    }

    static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.managementUrl(path))).GET();
        headers.forEach(request::header);
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
