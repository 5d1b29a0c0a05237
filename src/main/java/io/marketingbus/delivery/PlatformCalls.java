package io.marketingbus.delivery;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts a {@link PlatformRequest} on the message for camel-http and reads the answer back, for every connector made
 * from the {@code platform-call} template. Only the headers the call needs are set; the connector's
 * {@link io.marketingbus.platform.Connector} adds the platform's credentials.
 */
public final class PlatformCalls {

    /** The request a connector sent, kept for reading its answer. */
    public static final String REQUEST = "busPlatformRequest";
    /** The HTTP status of a 2xx answer. */
    public static final String RESPONSE_STATUS = "busPlatformStatus";
    private static final ObjectMapper READER = new ObjectMapper();

    private final ObjectMapper mapper;
    private final DestinationPacing pacing;

    public PlatformCalls(ObjectMapper mapper, DestinationPacing pacing) {
        this.mapper = mapper;
        this.pacing = pacing;
    }

    public void prepare(Exchange exchange) throws Exception {
        PlatformRequest request = exchange.getMessage().getMandatoryBody(PlatformRequest.class);
        if (request.internal()) {
            throw new IllegalStateException("internal request " + request.path() + " reached a connector: the batch "
                    + "rule that takes it was not found");
        }
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

    /**
     * The platform answered 2xx: its JSON answer becomes the body, and no response header stays on the message.
     * The status is kept in {@link #RESPONSE_STATUS} and the request sent in {@link #REQUEST}, for connectors that
     * read more into an answer ({@link io.marketingbus.platform.Connector#readAnswer}).
     */
    public static void readJson(Exchange exchange) throws Exception {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty(RESPONSE_STATUS, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(body == null || body.length == 0 ? READER.createObjectNode()
                : READER.readTree(new String(body, StandardCharsets.UTF_8)));
    }
}
