package io.marketingbus.platform.whatsapp;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.component.whatsapp.model.MessageResponse;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Reads what camel-whatsapp's producer answers (docs/platforms/whatsapp.md §3, §5). In 4.18 a non-2xx answer is a
 * {@code RuntimeCamelException} whose message holds the status and the Graph error body; this turns it into what the
 * delivery's retry policy understands: a throughput limit (Graph codes 4, 80007, 130429, 131056; any 429) becomes an
 * HTTP 429 (the destination pauses), a 5xx or Graph's temporary 1, 2, 131000, 131016 a retried 503, a call with no
 * answer its {@link IOException}, and anything else (131030 not in the allowed list, a bad template) a
 * {@link PlatformRejectedException} with Graph's message: dead-lettered, never retried.
 */
public final class WhatsAppConnector {

    private static final Pattern RESPONDED = Pattern.compile(" responded: (\\d{3}) and body: (.*)", Pattern.DOTALL);
    private static final Set<Integer> RATE_LIMITS = Set.of(4, 80007, 130429, 131056);
    private static final Set<Integer> TEMPORARY = Set.of(1, 2, 131000, 131016);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeliveryRetryPolicy retryPolicy;

    public WhatsAppConnector(DeliveryRetryPolicy retryPolicy) {
        this.retryPolicy = retryPolicy;
    }

    /** Every call of the destination waits while WhatsApp's rate limit pauses it. */
    public void awaitTurn(Exchange exchange) {
        if (exchange.getMessage().getBody() == null) {
            throw new IllegalStateException("no WhatsApp message to send");
        }
        retryPolicy.awaitTurn(exchange.getProperty(DeliveryExchange.DESTINATION, String.class));
        exchange.getMessage().getHeaders().clear();
    }

    /** A 2xx: the body becomes the answer's JSON ({@code messages[0].id} is the wamid). */
    public void readAnswer(Exchange exchange) {
        MessageResponse response = exchange.getMessage().getBody(MessageResponse.class);
        JsonNode answer = MAPPER.valueToTree(response);
        if (answer.path("messages").path(0).path("id").asText("").isEmpty()) {
            throw new PlatformRejectedException("whatsapp", 200, "WhatsApp answered without a message id", answer.toString());
        }
        exchange.getMessage().setBody(answer);
    }

    /** The producer's failure, as the retry policy needs it. */
    public void readFailure(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        throw failure(caught);
    }

    static Exception failure(Exception caught) {
        Matcher m = caught == null || caught.getMessage() == null ? null : RESPONDED.matcher(caught.getMessage());
        if (m == null || !m.find()) {
            return caught;
        }
        int status = Integer.parseInt(m.group(1));
        String body = m.group(2);
        String uri = caught.getMessage().substring(0, m.start());
        if (status == WhatsAppHttpClient.IO_FAILURE_STATUS && body.startsWith(WhatsAppHttpClient.IO_FAILURE_MARK)) {
            return new IOException("WhatsApp did not answer: " + body.substring(WhatsAppHttpClient.IO_FAILURE_MARK.length()));
        }
        JsonNode error = readError(body);
        int code = error.path("code").asInt(-1);
        String reason = "WhatsApp refused the message: " + error.path("message").asText("HTTP " + status)
                + (code >= 0 ? " (code " + code + ")" : "")
                + (error.path("error_data").path("details").isTextual() ? ": " + error.path("error_data").path("details").asText() : "");
        if (status == 429 || RATE_LIMITS.contains(code)) {
            return new HttpOperationFailedException(uri, 429, "Too Many Requests", null, Map.of(), body);
        }
        if (status >= 500 || status == 408 || TEMPORARY.contains(code)) {
            return new HttpOperationFailedException(uri, status >= 500 ? status : 503, reason, null, Map.of(), body);
        }
        return new PlatformRejectedException("whatsapp", status, reason, body);
    }

    private static JsonNode readError(String body) {
        try {
            return MAPPER.readTree(body).path("error");
        } catch (Exception notJson) {
            return MAPPER.createObjectNode();
        }
    }
}
