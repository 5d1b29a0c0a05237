package io.marketingbus.platform.facebook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;

/**
 * Meta's Conversions API call for one server event (docs/platforms/facebook.md, Conversions API): {@code POST
 * /{version}/{pixel-id}/events} with {@code data} and, while testing in Events Manager, {@code test_event_code}.
 * The flow 2 {@code Lead} and the store {@code Purchase} share it; {@code FacebookConversionEvents} merges the calls.
 */
record PixelEvents(String apiVersion, String pixelId, String testEventCode) {

    PixelEvents {
        testEventCode = testEventCode == null || testEventCode.isBlank() ? null : testEventCode.trim();
    }

    /** A call whose {@code data} holds one new event, returned for the caller to fill. */
    Call call() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode event = body.putArray("data").addObject();
        if (testEventCode != null) {
            body.put("test_event_code", testEventCode);
        }
        return new Call(event, new PlatformRequest("POST", "/" + apiVersion + "/" + pixelId + "/events", null, body));
    }

    record Call(ObjectNode event, PlatformRequest request) {
    }
}
