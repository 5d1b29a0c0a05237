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

    static final String REQUEST = "busPlatformRequest";
    static final String RESPONSE_STATUS = "busPlatformStatus";

    private final ObjectMapper mapper;
    private final DestinationPacing pacing;

    public PlatformCalls(ObjectMapper mapper, DestinationPacing pacing) {
        this.mapper = mapper;
        this.pacing = pacing;
    }

    public void prepare(Exchange exchange) throws Exception {
        PlatformRequest request = exchange.getMessage().getMandatoryBody(PlatformRequest.class);
        // every call of a destination its platform rate-limited waits for the same moment, whoever makes it
        pacing.awaitTurn(exchange.getProperty(DeliveryExchange.DESTINATION, String.class));
        exchange.setProperty(REQUEST, request);
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

    /** An HTTP Basic credential, for APIs that take a key as password (Mailchimp: any user name). */
    public String basicAuth(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The platform answered 2xx: its JSON answer becomes the body, and no response header stays on the message. */
    public void readJson(Exchange exchange) throws Exception {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty(RESPONSE_STATUS, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(body == null || body.length == 0 ? mapper.createObjectNode()
                : mapper.readTree(new String(body, StandardCharsets.UTF_8)));
    }

    /** HubSpot answered 2xx; a batch write may still report failed inputs (a batch read may omit deleted ones). */
    public void requireHubSpotApplied(Exchange exchange) throws Exception {
        readJson(exchange);
        PlatformRequest request = exchange.getProperty(REQUEST, PlatformRequest.class);
        boolean read = request == null || "GET".equals(request.method()) || request.path().endsWith("/batch/read")
                || request.path().endsWith("/search");
        if (!read) {
            HubSpotResponses.requireApplied(exchange.getProperty(RESPONSE_STATUS, 200, Integer.class),
                    exchange.getMessage().getBody(JsonNode.class));
        }
    }
}
