package io.marketingbus.platform.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRejectedException;

/**
 * Reads what HubSpot answered to a 2xx call. A batch call can answer 207 Multi-Status with per-input errors; for
 * the bus that input was not applied, so it is a rejection with HubSpot's own message.
 */
public final class HubSpotResponses {

    private HubSpotResponses() {
    }

    /** @throws PlatformRejectedException when the answer reports errors for any input */
    public static void requireApplied(int status, JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return;
        }
        JsonNode errors = body.path("errors");
        if (status == 207 || (errors.isArray() && !errors.isEmpty())) {
            StringBuilder reason = new StringBuilder("HubSpot applied the batch partially (status ").append(status)
                    .append("):");
            for (JsonNode error : errors) {
                reason.append(' ').append(error.path("category").asText("ERROR")).append(": ")
                        .append(error.path("message").asText("no message")).append(';');
            }
            throw new PlatformRejectedException("hubspot", status, reason.toString(), body.toString());
        }
    }
}
