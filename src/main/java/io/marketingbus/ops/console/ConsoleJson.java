package io.marketingbus.ops.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

/** How the console's parts answer: JSON, and a 401 JSON for a request without a session or the admin token. */
final class ConsoleJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ConsoleJson() {
    }

    static boolean refused(RoutingContext ctx, ConsoleAuth auth) {
        if (auth.authorised(ctx)) {
            return false;
        }
        auth.refuse(ctx);
        return true;
    }

    static JsonNode error(String text) {
        return MAPPER.createObjectNode().put("error", text);
    }

    static void answer(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.toString());
    }
}
