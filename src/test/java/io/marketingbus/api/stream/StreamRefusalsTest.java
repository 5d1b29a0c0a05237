package io.marketingbus.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answers the stream gives over plain HTTP, before any WebSocket opens, on a bare Vert.x router. */
class StreamRefusalsTest {

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int serve(StreamAuth auth, int maxSubscribers) throws Exception {
        return serve(auth, maxSubscribers, Duration.ofSeconds(10));
    }

    int serve(StreamAuth auth, int maxSubscribers, Duration ping) throws Exception {
        EventStream stream = new EventStream(null, 0, "127.0.0.1:1", List.of(), null, auth,
                new EventStream.Options(10, maxSubscribers, ping), new SimpleMeterRegistry());
        Router router = Router.router(vertx);
        router.route(EventStream.PATH).handler(stream.handler());
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    int upgrade(int port, String token) throws Exception {
        return upgrade(port, token, null);
    }

    int upgrade(int port, String token, String cookie) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI(EventStream.PATH);
        if (cookie != null) {
            options.addHeader("Cookie", cookie);
        }
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        try {
            vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).close();
            return 101;
        } catch (ExecutionException e) {
            return ((UpgradeRejectedException) e.getCause()).getStatus();
        }
    }

    @Test
    void aClientThatAnswersNoPingIsClosedAndOneThatDoesStays() throws Exception {
        int port = serve(StreamAuth.of("admin", List.of()), 10, Duration.ofMillis(200));
        var alive = vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(port).setURI(EventStream.PATH).addHeader("Authorization", "Bearer admin"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (java.net.Socket dead = new java.net.Socket("127.0.0.1", port)) {
            // a raw client: upgrades, then never answers a ping
            dead.getOutputStream().write(("GET " + EventStream.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer admin\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            dead.setSoTimeout(10_000);
            java.io.InputStream in = dead.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] chunk = new byte[1024];
            long deadline = System.currentTimeMillis() + 10_000;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                seen.append(new String(chunk, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                assertThat(System.currentTimeMillis()).as("closed within 10 s").isLessThan(deadline);
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 101").contains("ping").contains("no pong");
        }
        // the Vert.x client answered every ping: still open after the dead one was closed
        assertThat(alive.isClosed()).isFalse();
        alive.close();
    }

    @Test
    void offWithoutAdminTokenOrReadKeys() throws Exception {
        int port = serve(StreamAuth.of("", List.of()), 10);
        assertThat(upgrade(port, null)).isEqualTo(403);
        assertThat(upgrade(port, "anything")).isEqualTo(403);
    }

    @Test
    void overMaxSubscribersIs503() throws Exception {
        int port = serve(StreamAuth.of("admin", List.of()), 0);
        assertThat(upgrade(port, "admin")).isEqualTo(503);
        assertThat(upgrade(port, "wrong")).as("auth first").isEqualTo(401);
    }

    @Test
    void aConsoleCheckCanLetABrowserIn() throws Exception {
        // the operator console's session cookie, as a later issue will add it
        int port = serve(StreamAuth.of("", List.of()).or(request -> "s1".equals(
                request.getCookie("bus-session") == null ? null : request.getCookie("bus-session").getValue())), 0);
        assertThat(upgrade(port, null, "bus-session=s1")).as("past auth, at the subscriber limit").isEqualTo(503);
        assertThat(upgrade(port, null, "bus-session=other")).isEqualTo(401);
        assertThat(upgrade(port, null)).isEqualTo(401);
    }
}
