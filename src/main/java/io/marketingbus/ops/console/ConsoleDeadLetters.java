package io.marketingbus.ops.console;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.ops.DeadLetterReplay;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The dead letters page's API: {@code GET /console/api/dead-letters} (see {@link DeadLetterGroups}) and
 * {@code POST /console/api/dead-letters/replay} with a JSON body {@code {dlq, reason, since, until, dryRun}},
 * answered by the admin replay ({@link DeadLetterReplay}). Only a JSON body is taken, so a cross-site form cannot
 * post one. Both read Kafka: off the event loop.
 */
final class ConsoleDeadLetters implements ConsolePart {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleDeadLetters.class);

    private final DeadLetterGroups groups;
    private final DeadLetterReplay replay;

    ConsoleDeadLetters(DeadLetterGroups groups, DeadLetterReplay replay) {
        this.groups = groups;
        this.replay = replay;
    }

    @Override
    public void register(Router router, ConsoleAuth auth) {
        router.get("/console/api/dead-letters").handler(ctx -> list(ctx, auth));
        router.post("/console/api/dead-letters/replay").handler(ctx -> replay(ctx, auth));
    }

    private void list(RoutingContext ctx, ConsoleAuth auth) {
        if (ConsoleJson.refused(ctx, auth)) {
            return;
        }
        ctx.vertx().<JsonNode>executeBlocking(groups::read, false).onComplete(result -> {
            if (result.succeeded()) {
                ConsoleJson.answer(ctx, 200, result.result());
            } else {
                LOG.warn("dead letters not readable for the console", result.cause());
                ConsoleJson.answer(ctx, 503, ConsoleJson.error("dead letters not readable: "
                        + result.cause().getClass().getSimpleName()));
            }
        });
    }

    private void replay(RoutingContext ctx, ConsoleAuth auth) {
        if (ConsoleJson.refused(ctx, auth)) {
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            ConsoleJson.answer(ctx, 415, ConsoleJson.error("send the selection as application/json"));
            return;
        }
        if (ctx.body() != null && ctx.body().available()) {
            replay(ctx, ctx.body().buffer());
        } else {
            ctx.request().body().onSuccess(body -> replay(ctx, body))
                    .onFailure(e -> ConsoleJson.answer(ctx, 400, ConsoleJson.error("unreadable body")));
        }
    }

    private void replay(RoutingContext ctx, Buffer body) {
        DeadLetterReplay.Selection selection;
        try {
            JsonNode json = ConsoleJson.MAPPER.readTree(body == null ? "" : body.toString());
            String dlq = text(json, "dlq");
            if (dlq == null || !dlq.endsWith(".dlq")) {
                ConsoleJson.answer(ctx, 400, ConsoleJson.error("dlq must name a dead-letter topic (….dlq)"));
                return;
            }
            selection = new DeadLetterReplay.Selection(dlq, instant(text(json, "since")), instant(text(json, "until")),
                    text(json, "reason"), json.path("dryRun").asBoolean(false));
        } catch (DateTimeParseException e) {
            ConsoleJson.answer(ctx, 400, ConsoleJson.error("since and until are ISO-8601 instants"));
            return;
        } catch (Exception e) {
            ConsoleJson.answer(ctx, 400, ConsoleJson.error("the body is a JSON object {dlq, reason, since, until, dryRun}"));
            return;
        }
        ctx.vertx().<JsonNode>executeBlocking(() -> replay.replay(selection), false).onComplete(result -> {
            if (result.succeeded()) {
                ConsoleJson.answer(ctx, 200, result.result());
            } else {
                ConsoleJson.answer(ctx, 503, ConsoleJson.error("replay failed: " + result.cause().getClass().getSimpleName()));
            }
        });
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json == null ? null : json.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
