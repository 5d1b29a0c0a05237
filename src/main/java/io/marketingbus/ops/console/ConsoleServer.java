package io.marketingbus.ops.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.marketingbus.ops.ManagementRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The operator console on the management port: {@code GET /console} (the sign-in form, or the shell once signed in),
 * {@code POST /console/login}, {@code POST /console/logout} and the static files at {@code /console/assets/*}, read
 * from this jar ({@code console/}) and from the uPlot webjar. Every console answer carries the security headers; a
 * POST from a page of another origin is refused. Then every {@link ConsolePart} in the registry adds its API.
 */
public final class ConsoleServer extends ServiceSupport {

    private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg|png)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "html", "text/html; charset=utf-8");
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Map<String, String> UPLOT_FILES = Map.of("uPlot.iife.min.js", "dist/uPlot.iife.min.js",
            "uPlot.min.css", "dist/uPlot.min.css", "LICENSE", "LICENSE");

    private final CamelContext context;
    private final int managementPort;
    private final ConsoleAuth auth;
    /** Read once from the jar (reading it blocks), then answered from memory; a few small files. */
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();
    private String uplotRoot;

    private record Asset(byte[] bytes, String type, String etag) {
    }

    public ConsoleServer(CamelContext context, int managementPort, ConsoleAuth auth) {
        this.context = context;
        this.managementPort = managementPort;
        this.auth = auth;
    }

    @Override
    protected void doStart() {
        uplotRoot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";
        file("console/index.html", "html"); // read now, not on the event loop
        VertxPlatformHttpRouter router = ManagementRouter.lookup(context, managementPort, "the operator console");
        router.route("/console*").handler(this::guard);
        router.get("/console").handler(this::page);
        router.get("/console/").handler(ctx -> redirect(ctx, "/console"));
        router.post("/console/login").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::login);
        router.post("/console/logout").handler(this::logout);
        router.get("/console/assets/uplot/:file").handler(this::uplot);
        router.get("/console/assets/:file").handler(this::asset);
        for (ConsolePart part : context.getRegistry().findByType(ConsolePart.class)) {
            part.register(router, auth);
        }
        router.route("/console/api/*").handler(ctx -> {
            if (!auth.authorised(ctx)) {
                auth.refuse(ctx);
            } else {
                json(ctx, 404, "{\"error\":\"no such console API\"}");
            }
        });
    }

    /** Security headers on every console answer; a POST from another origin stops here. */
    private void guard(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", "default-src 'self'")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (ctx.request().method().name().equals("POST") && !ConsoleAuth.sameOrigin(ctx.request())) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Refused: this form was sent from a page of another site.");
            return;
        }
        ctx.next();
    }

    private void page(RoutingContext ctx) {
        if (!auth.enabled()) {
            html(ctx, 403, ConsolePages.off());
        } else if (auth.authorised(ctx)) {
            file("console/index.html", "html").ifPresentOrElse(
                    shell -> ctx.response().setStatusCode(200).putHeader("Content-Type", shell.type())
                            .putHeader("Cache-Control", "no-store").end(Buffer.buffer(shell.bytes())),
                    () -> html(ctx, 500, ConsolePages.login("The console's page is missing from the jar.")));
        } else {
            html(ctx, 200, ConsolePages.login(null));
        }
    }

    private void login(RoutingContext ctx) {
        if (!auth.enabled()) {
            html(ctx, 403, ConsolePages.off());
        } else if (auth.tokenMatches(ctx.request().getFormAttribute("token"))) {
            auth.signIn(ctx);
            redirect(ctx, "/console");
        } else {
            html(ctx, 401, ConsolePages.login("That is not the admin token (bus.admin-token)."));
        }
    }

    private void logout(RoutingContext ctx) {
        auth.signOut(ctx);
        redirect(ctx, "/console");
    }

    private void asset(RoutingContext ctx) {
        var matcher = ASSET.matcher(ctx.pathParam("file"));
        if (matcher.matches()) {
            serve(ctx, "console/" + matcher.group(0), matcher.group(1), "no-cache");
        } else {
            notFound(ctx);
        }
    }

    /** uPlot from its webjar; the URL has no version, so browsers check back daily. */
    private void uplot(RoutingContext ctx) {
        String inJar = UPLOT_FILES.get(ctx.pathParam("file"));
        if (inJar == null) {
            notFound(ctx);
            return;
        }
        String ext = inJar.endsWith(".js") ? "js" : inJar.endsWith(".css") ? "css" : "txt";
        serve(ctx, uplotRoot + inJar, ext, "public, max-age=86400");
    }

    private void serve(RoutingContext ctx, String resource, String ext, String cacheControl) {
        Optional<Asset> cached = assets.get(resource);
        if (cached != null) {
            send(ctx, cached, cacheControl);
            return;
        }
        ctx.vertx().executeBlocking(() -> file(resource, ext), false)
                .onComplete(read -> send(ctx, read.succeeded() ? read.result() : Optional.empty(), cacheControl));
    }

    private void send(RoutingContext ctx, Optional<Asset> asset, String cacheControl) {
        if (asset.isEmpty()) {
            notFound(ctx);
            return;
        }
        Asset found = asset.get();
        ctx.response().putHeader("Cache-Control", cacheControl).putHeader("ETag", found.etag());
        if (found.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
        } else {
            ctx.response().setStatusCode(200).putHeader("Content-Type", found.type()).end(Buffer.buffer(found.bytes()));
        }
    }

    private Optional<Asset> file(String resource, String ext) {
        return assets.computeIfAbsent(resource, name -> {
            try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] bytes = in.readAllBytes();
                String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
                        + "\"";
                return Optional.of(new Asset(bytes, TYPES.getOrDefault(ext, "text/plain; charset=utf-8"), etag));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String uplotVersion() {
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar (org.webjars.npm:uplot) is not on the classpath");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not found");
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(303).putHeader("Location", to).putHeader("Cache-Control", "no-store").end();
    }

    private static void html(RoutingContext ctx, int status, String page) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", TYPES.get("html"))
                .putHeader("Cache-Control", "no-store").end(page);
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
