package io.marketingbus.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Admin operations on the management port, never on the public webhook port, each behind
 * {@code Authorization: Bearer <bus.admin-token>}. {@code GET /admin/events/{id}} answers where an event went.
 */
public final class AdminEndpoints extends ServiceSupport {

    private final ObjectMapper mapper = new ObjectMapper();
    private final CamelContext context;
    private final int managementPort;
    private final byte[] token;
    private final DeliveryRecords records;
    private final DeadLetterReplay replay;

    /** @param token the admin bearer token; null or blank disables the endpoints (403) */
    public AdminEndpoints(CamelContext context, int managementPort, String token, DeliveryRecords records,
                          DeadLetterReplay replay) {
        this.replay = replay;
        this.context = context;
        this.managementPort = managementPort;
        this.token = token == null || token.isBlank() ? null : ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
        this.records = records;
    }

    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = ManagementRouter.lookup(context, managementPort, "admin endpoints");
        router.get("/admin/events/:id").handler(this::event);
        router.post("/admin/replay").handler(this::replay);
    }

    /** {@code POST /admin/replay?dlq=…&since=…&until=…&reason=…&dryRun=true}: see {@link DeadLetterReplay}. */
    private void replay(RoutingContext ctx) {
        if (!authorised(ctx.request().getHeader("Authorization"))) {
            answer(ctx, token == null ? 403 : 401, message("a valid Authorization: Bearer <bus.admin-token> is required"));
            return;
        }
        String dlq = ctx.request().getParam("dlq");
        if (dlq == null || !dlq.endsWith(".dlq")) {
            answer(ctx, 400, message("dlq must name a dead-letter topic (…​.dlq)"));
            return;
        }
        DeadLetterReplay.Selection selection;
        try {
            selection = new DeadLetterReplay.Selection(dlq, instant(ctx.request().getParam("since")),
                    instant(ctx.request().getParam("until")), ctx.request().getParam("reason"),
                    Boolean.parseBoolean(ctx.request().getParam("dryRun")));
        } catch (java.time.format.DateTimeParseException e) {
            answer(ctx, 400, message("since and until are ISO-8601 instants, e.g. 2026-11-22T07:00:00Z"));
            return;
        }
        // reading a topic blocks: off the event loop
        ctx.vertx().<JsonNode>executeBlocking(() -> replay.replay(selection), false).onComplete(result -> {
            if (result.succeeded()) {
                answer(ctx, 200, result.result());
            } else {
                answer(ctx, 503, message("replay failed: " + result.cause().getClass().getSimpleName()));
            }
        });
    }

    private static java.time.Instant instant(String value) {
        return value == null || value.isBlank() ? null : java.time.Instant.parse(value);
    }

    private void event(RoutingContext ctx) {
        if (!authorised(ctx.request().getHeader("Authorization"))) {
            answer(ctx, token == null ? 403 : 401, message(token == null ? "admin endpoints are off: set bus.admin-token"
                    : "a valid Authorization: Bearer <bus.admin-token> is required"));
            return;
        }
        String id = ctx.pathParam("id");
        List<JsonNode> found = records.lookup(id);
        ObjectNode body = mapper.createObjectNode();
        body.put("eventId", id);
        found.forEach(body.putArray("records")::add);
        if (found.isEmpty()) {
            body.put("message", "no record of this event (unknown, or older than the records' retention)");
        }
        answer(ctx, found.isEmpty() ? 404 : 200, body);
    }

    private boolean authorised(String header) {
        return token != null && header != null
                && MessageDigest.isEqual(token, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode message(String text) {
        return mapper.createObjectNode().put("error", text);
    }

    private static void answer(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
