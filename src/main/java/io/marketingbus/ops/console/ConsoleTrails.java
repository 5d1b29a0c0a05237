package io.marketingbus.ops.console;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.api.stream.StreamFrames;
import io.marketingbus.ops.DeliveryRecords;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The live debugger's trail of one event: {@code GET /console/api/events/{id}}, every record the bus holds for it
 * (ingress, each destination's outcome, attempts, HTTP status, the platform's answer), masked. The live list itself
 * is the public stream ({@code /v1/stream}), which the console's session opens.
 */
final class ConsoleTrails implements ConsolePart {

    private final DeliveryRecords records;

    ConsoleTrails(DeliveryRecords records) {
        this.records = records;
    }

    @Override
    public void register(Router router, ConsoleAuth auth) {
        router.get("/console/api/events/:id").handler(ctx -> trail(ctx, auth));
    }

    private void trail(RoutingContext ctx, ConsoleAuth auth) {
        if (ConsoleJson.refused(ctx, auth)) {
            return;
        }
        String id = ctx.pathParam("id");
        List<JsonNode> found = records.lookup(id);
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("eventId", id);
        var list = body.putArray("records");
        for (JsonNode record : found) {
            list.add(StreamFrames.mask(record.deepCopy(), null));
        }
        if (found.isEmpty()) {
            body.put("message", "no record of this event (unknown, or older than the records' retention)");
        }
        ConsoleJson.answer(ctx, found.isEmpty() ? 404 : 200, body);
    }
}
