package io.marketingbus.ingress;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What camel-platform-http-vertx 4.18 cannot be configured to do for the webhook port, added at the one place it
 * lets in: the Vert.x instance it looks up in the registry. Every HTTP server created on it gets
 * <ul>
 * <li>timeouts: a connection silent for {@code idleTimeout} is closed, and so is one whose request (headers and body)
 * has not fully arrived {@code requestTimeout} after the connection became ready for it (slow senders cannot hold
 * connections open);</li>
 * <li>on the webhook port, 503 with {@code Retry-After} on a webhook path while its ingress route is not started,
 * suspended or stopping (the router would otherwise answer 404, which a sender may take as "drop it");</li>
 * <li>on the webhook port, a JSON answer, one log line and a count for a request the router itself fails (a form body
 * with an invalid percent escape, a body over the size limit), instead of Vert.x's plain text and stack trace.</li>
 * </ul>
 */
public final class WebhookServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    static final String RETRY_AFTER_SECONDS = "5";
    /** The webhook routes, read from the model once it has them (see {@link IngressRoutes}). */
    private volatile List<IngressRoutes.IngressRoute> ingress;

    private final CamelContext context;
    private final Vertx vertx;
    private final int webhookPort;
    private final Duration idleTimeout;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Duration requestTimeout;

    private WebhookServer(CamelContext context, Vertx vertx, int webhookPort, Duration idleTimeout, Duration requestTimeout) {
        this.context = context;
        this.vertx = vertx;
        this.webhookPort = webhookPort;
        this.idleTimeout = idleTimeout;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Binds the Vert.x instance platform-http will use (it takes the registry's single {@link Vertx}); call before the
     * HTTP servers are created. The instance is closed once the context has stopped.
     */
    public static Vertx install(CamelContext context, int webhookPort, Duration idleTimeout, Duration requestTimeout) {
        Vertx real = Vertx.vertx();
        WebhookServer server = new WebhookServer(context, real, webhookPort, idleTimeout, requestTimeout);
        Vertx guarded = (Vertx) Proxy.newProxyInstance(WebhookServer.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, server.vertxHandler(real));
        context.getRegistry().bind("busVertx", guarded);
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                real.close();
            }
        });
        return guarded;
    }

    private InvocationHandler vertxHandler(Vertx real) {
        return (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions options = args == null || args.length == 0 ? new HttpServerOptions()
                        : new HttpServerOptions((HttpServerOptions) args[0]);
                options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) idleTimeout.toMillis());
                return guard(real.createHttpServer(options));
            }
            return invoke(real, method, args);
        };
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The server as platform-http sees it: its request handler wrapped, its connections watched. */
    private HttpServer guard(HttpServer real) {
        Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
        int[] port = {-1};
        real.connectionHandler(connection -> {
            Watch watch = new Watch(System.nanoTime());
            watches.put(connection, watch);
            connection.closeHandler(v -> watches.remove(connection));
        });
        long sweep = vertx.setPeriodic(Math.max(100, Math.min(1000, requestTimeout.toMillis() / 4)),
                id -> watches.forEach((connection, watch) -> watch.check(connection, requestTimeout)));
        HttpServer[] self = new HttpServer[1];
        self[0] = (HttpServer) Proxy.newProxyInstance(WebhookServer.class.getClassLoader(), new Class<?>[] {HttpServer.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("requestHandler") && args != null && args.length == 1) {
                        @SuppressWarnings("unchecked")
                        Handler<HttpServerRequest> handler = (Handler<HttpServerRequest>) args[0];
                        if (handler instanceof Router router) {
                            router.route().failureHandler(ctx -> failed(ctx, port[0]));
                        }
                        real.requestHandler(request -> {
                            Watch watch = watches.get(request.connection());
                            if (watch != null) {
                                watch.started(request);
                            }
                            if (port[0] == webhookPort) {
                                if (refusedWhileNotStarted(request)) {
                                    return;
                                }
                                retryAfterOn503(request);
                            }
                            handler.handle(request);
                        });
                        return proxy;
                    }
                    if (name.equals("listen") && args != null && args.length > 0 && args[0] instanceof Integer p) {
                        port[0] = p;
                    }
                    if (name.equals("close")) {
                        vertx.cancelTimer(sweep);
                    }
                    Object result = invoke(real, method, args);
                    return result == real ? proxy : result;
                });
        return self[0];
    }

    /** 503 with Retry-After on a webhook path whose ingress route does not take requests yet (or any more). */
    private boolean refusedWhileNotStarted(HttpServerRequest request) {
        IngressRoutes.IngressRoute route = IngressRoutes.serving(ingress(), request.path());
        if (route == null || accepting(route.routeId())) {
            return false;
        }
        request.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer("{\"error\":\"the bus is starting or stopping, retry later\"}"));
        count(route.platform(), "unavailable", 503);
        return true;
    }

    /**
     * Whatever answers 503 on the webhook port (a route suspended between the gate above and the request reaching
     * it, during a stop) says when to come back: senders back off on Retry-After.
     */
    private static void retryAfterOn503(HttpServerRequest request) {
        var response = request.response();
        response.headersEndHandler(v -> {
            if (response.getStatusCode() == 503 && response.headers().get("Retry-After") == null) {
                response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
            }
        });
    }

    private boolean accepting(String routeId) {
        // the route found for an earlier request, while its consumer takes requests: finding a route by id searches
        // every route of the context, on every webhook
        Route known = routes.get(routeId);
        if (known != null && known.getConsumer() instanceof StatefulService consumer && consumer.isStarted()
                && !consumer.isSuspending() && !consumer.isSuspended()) {
            return true;
        }
        Route route = context.getRoute(routeId);
        if (route != null) {
            routes.put(routeId, route);
        }
        if (route == null) {
            // not loaded yet during start-up; once the context runs, a route that is not there is simply a 404
            return context.getStatus() == ServiceStatus.Started;
        }
        return context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started
                && route.getConsumer() instanceof StatefulService consumer && consumer.isStarted()
                && !consumer.isSuspending() && !consumer.isSuspended();
    }

    /** A request the router failed before any route saw it: a JSON answer, counted, one log line, no stack trace. */
    private void failed(RoutingContext ctx, int port) {
        if (port != webhookPort || ctx.response().ended()) {
            ctx.next();
            return;
        }
        Throwable failure = ctx.failure();
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String reason;
        if (decodeError(failure)) {
            status = 400;
            reason = "form body has invalid percent-encoding";
        } else if (cause(failure, HttpPostRequestDecoder.TooManyFormFieldsException.class)
                || cause(failure, HttpPostRequestDecoder.TooLongFormFieldException.class)) {
            status = 400;
            reason = "form body has too many or too long fields";
        } else if (status == 413) {
            reason = "the body is over the server's size limit";
        } else if (status >= 400 && status < 500) {
            reason = "the request body cannot be read (too many or too long form fields, or malformed)";
        } else {
            status = 500;
            reason = "internal error";
        }
        String platform = platform(ctx.request().path());
        if (status == 500) {
            LOG.error("{} webhook failed with 500 before reaching its route: {}", platform,
                    failure == null ? "unknown" : failure.getClass().getSimpleName());
        } else {
            LOG.warn("{} webhook rejected with {}: {} ({})", platform, status, reason,
                    failure == null ? "no exception" : failure.getClass().getName());
        }
        if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        count(platform, status == 500 ? "failed" : "rejected", status);
    }

    static boolean decodeError(Throwable failure) {
        return cause(failure, HttpPostRequestDecoder.ErrorDataDecoderException.class);
    }

    private static boolean cause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    String platform(String path) {
        IngressRoutes.IngressRoute route = IngressRoutes.serving(ingress(), path);
        return route == null ? "unknown" : route.platform();
    }

    private List<IngressRoutes.IngressRoute> ingress() {
        List<IngressRoutes.IngressRoute> known = ingress;
        if (known == null || known.isEmpty()) {
            // the model is complete once the context starts; until then, read it again on each request
            known = IngressRoutes.of(context);
            if (context.getStatus().isStarted()) {
                ingress = known;
            }
        }
        return known;
    }

    private void count(String platform, String outcome, int status) {
        IngressResponses responses = context.getRegistry().lookupByNameAndType("IngressResponses", IngressResponses.class);
        if (responses != null) {
            responses.count(platform, outcome, status);
        }
    }

    /**
     * One connection's progress: the time it became ready for a request (opened, or its last response ended) and the
     * request it is reading. HTTP/2 connections multiplex requests and are left to the idle timeout.
     */
    private static final class Watch {
        private volatile long readySince;
        private volatile HttpServerRequest current;
        private volatile boolean multiplexed;

        Watch(long now) {
            readySince = now;
        }

        void started(HttpServerRequest request) {
            if (request.version() == HttpVersion.HTTP_2) {
                multiplexed = true;
            }
            // its headers are in: the rest of it must arrive within the timeout from now (a keep-alive connection
            // busy for longer than the timeout, one request after another, is not closed for it)
            readySince = System.nanoTime();
            current = request;
        }

        void check(HttpConnection connection, Duration timeout) {
            if (multiplexed) {
                return;
            }
            HttpServerRequest request = current;
            long now = System.nanoTime();
            if (request != null && request.isEnded()) {
                if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                    // a WebSocket (the live stream): fully received, now a long-lived connection with its own pings;
                    // the idle timeout still applies
                    return;
                }
                if (request.response().ended()) {
                    current = null;
                    readySince = now;
                }
                // fully read and being answered: the route's own timeouts apply
                return;
            }
            if (now - readySince > timeout.toNanos()) {
                connection.close();
            }
        }
    }
}
