package io.marketingbus.delivery;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.translate.hubspot.HubSpotResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts a {@link PlatformRequest} on the message for camel-http and reads the answer back. Only the headers the
 * call needs are set; the connector route adds the platform's credentials.
 */
public final class PlatformCalls {

    private final ObjectMapper mapper;

    public PlatformCalls(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void prepare(Exchange exchange) throws Exception {
        PlatformRequest request = exchange.getMessage().getMandatoryBody(PlatformRequest.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.HTTP_PATH, request.path());
        if (request.query() != null) {
            message.setHeader(Exchange.HTTP_QUERY, request.query());
        }
        message.setHeader("Accept", "application/json");
        if (request.body() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(mapper.writeValueAsBytes(request.body()));
        } else {
            message.setBody(null);
        }
    }

    /** HubSpot answered 2xx; a batch answer may still report failed inputs. */
    public void requireHubSpotApplied(Exchange exchange) throws Exception {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode json = body == null || body.length == 0 ? null : mapper.readTree(new String(body, StandardCharsets.UTF_8));
        HubSpotResponses.requireApplied(status, json);
        exchange.getMessage().getHeaders().clear();
    }
}
