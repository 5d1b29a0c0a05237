package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's routes on a bare Vert.x router: what no running bus can show (the dev profile always sets a token). */
class ConsoleServerTest {

    final Vertx vertx = Vertx.vertx();
    final HttpClient http = HttpClient.newHttpClient();
    HttpServer server;

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String serve(ConsoleAuth auth, List<ConsolePart> parts) throws Exception {
        Router router = Router.router(vertx);
        new ConsoleServer(null, 0, auth).register(router, parts);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAnAdminTokenTheConsoleIsOff() throws Exception {
        String base = serve(new ConsoleAuth("", new ConsoleSessions(Clock.systemUTC(), Duration.ofMinutes(30), 10)),
                List.of());

        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/console")));
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("id=\"console-off\"", "bus.admin-token").doesNotContain("<form");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");

        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=")));
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> api = send(HttpRequest.newBuilder(URI.create(base + "/console/api/overview")));
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("the console is off");
    }

    @Test
    void everyPartIsRegisteredAfterTheConsolesOwnRoutesAndAnswersWithTheSecurityHeaders() throws Exception {
        ConsolePart part = (router, auth) -> router.get("/console/api/probe/hello").handler(ctx -> {
            if (!auth.authorised(ctx)) {
                auth.refuse(ctx);
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end("{\"hello\":true}");
            }
        });
        String base = serve(new ConsoleAuth("t0ken", new ConsoleSessions(Clock.systemUTC(), Duration.ofMinutes(30), 10)),
                List.of(part));

        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/console/api/probe/hello")));
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> answered = send(HttpRequest.newBuilder(URI.create(base + "/console/api/probe/hello"))
                .header("Authorization", "Bearer t0ken"));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"hello\":true}");
        assertThat(answered.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/console/api/probe/other"))
                .header("Authorization", "Bearer t0ken")).statusCode()).isEqualTo(404);
    }
}
