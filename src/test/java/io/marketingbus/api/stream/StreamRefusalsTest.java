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
        EventStream stream = new EventStream(null, 0, "127.0.0.1:1", List.of(), null, auth,
                new EventStream.Options(10, maxSubscribers, Duration.ofSeconds(10)), new SimpleMeterRegistry());
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
