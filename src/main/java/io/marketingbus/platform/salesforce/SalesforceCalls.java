package io.marketingbus.platform.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.CredentialsRejectedException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The Salesforce connector's bean (routes/platforms/salesforce.camel.yaml; docs/platforms/salesforce.md §3, §5). The
 * bus's {@link PlatformRequest}s name Salesforce REST paths below {@code /services/data/vXX.X}; this bean turns each
 * into the camel-salesforce operation that makes that call (login, the session and its renewal after an
 * {@code INVALID_SESSION_ID} are camel-salesforce's), and reads the answer back as JSON:
 * <ul>
 * <li>{@code PATCH /composite/sobjects/<object>/<externalIdField>}: {@code compositeUpsertSObjectCollections}
 * (headers {@code sObjectName}, {@code sObjectIdName}, {@code allOrNone}; the records as {@link SalesforceRecord});
 * the answer is the ordered list of upsert results;</li>
 * <li>{@code GET /query?q=<soql>}: {@code query}, and {@code GET <nextRecordsUrl>}: {@code queryMore} (raw
 * payload: the query result as Salesforce sent it).</li>
 * </ul>
 * A refusal comes back from camel-salesforce as a {@link SalesforceException} with the status and Salesforce's
 * errors: {@code REQUEST_LIMIT_EXCEEDED} (HTTP 403, no Retry-After) becomes a 429 for the delivery's pacing, so the
 * destination pauses as for any rate limit; every other status is an {@link HttpOperationFailedException} with it,
 * which the retry policy reads like any platform's (5xx retried, 4xx dead-lettered); a login the token endpoint
 * refuses is a {@link CredentialsRejectedException}, which holds the events. The {@code Sforce-Limit-Info}
 * header ({@code api-usage=n/m}) of every answer feeds two gauges.
 */
public final class SalesforceCalls {

    public static final String OPERATION = "salesforceOperation";
    public static final String API_USED = "marketing_bus_salesforce_api_requests_used";
    public static final String API_ALLOWED = "marketing_bus_salesforce_api_requests_allowed";
    private static final Pattern UPSERT = Pattern.compile("/composite/sobjects/([A-Za-z0-9_]+)/([A-Za-z0-9_]+)");
    private static final Pattern USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final AtomicLong used = new AtomicLong(-1);
    private final AtomicLong allowed = new AtomicLong(-1);

    public SalesforceCalls(MeterRegistry meters) {
        Gauge.builder(API_USED, used, AtomicLong::get)
                .description("Salesforce API requests used in the org's rolling 24 h, from the last Sforce-Limit-Info header (-1 before the first answer)")
                .register(meters);
        Gauge.builder(API_ALLOWED, allowed, AtomicLong::get)
                .description("Salesforce API requests the org may make in a rolling 24 h, from the last Sforce-Limit-Info header (-1 before the first answer)")
                .register(meters);
    }

    /**
     * After {@code PlatformCalls.prepare} (which waited for the destination's pace and kept the request): the
     * camel-salesforce operation, its headers and body.
     */
    public void prepare(Exchange exchange) {
        PlatformRequest request = exchange.getProperty(PlatformCalls.REQUEST, PlatformRequest.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        Matcher upsert = UPSERT.matcher(request.path());
        if ("PATCH".equals(request.method()) && upsert.matches()) {
            exchange.setProperty(OPERATION, "upsert");
            message.setHeader(SalesforceEndpointConfig.SOBJECT_NAME, upsert.group(1));
            message.setHeader(SalesforceEndpointConfig.SOBJECT_EXT_ID_NAME, upsert.group(2));
            message.setHeader(SalesforceEndpointConfig.ALL_OR_NONE, request.body().path("allOrNone").asBoolean(false));
            List<SalesforceRecord> records = new ArrayList<>();
            request.body().path("records").forEach(r -> records.add(SalesforceRecord.of(r)));
            message.setBody(records);
        } else if ("GET".equals(request.method()) && "/query".equals(request.path())) {
            exchange.setProperty(OPERATION, "query");
            message.setHeader(SalesforceEndpointConfig.SOBJECT_QUERY, request.query());
            message.setBody(null);
        } else if ("GET".equals(request.method()) && request.path().startsWith("/services/data/")
                && request.path().contains("/query/")) {
            exchange.setProperty(OPERATION, "queryMore");
            message.setHeader(SalesforceEndpointConfig.SOBJECT_QUERY, request.path());
            message.setBody(null);
        } else {
            throw new IllegalArgumentException("no camel-salesforce operation for " + request.method() + " " + request.path());
        }
    }

    /** The answer as JSON; the API usage read from its header. */
    public void readAnswer(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        usage(message.getHeader("Sforce-Limit-Info", String.class));
        Object body = message.getBody();
        JsonNode answer;
        if (body instanceof InputStream stream) {
            answer = mapper.readTree(stream);
        } else if (body instanceof String text) {
            answer = mapper.readTree(text);
        } else if (body instanceof byte[] bytes) {
            answer = mapper.readTree(bytes);
        } else {
            answer = body == null ? mapper.createObjectNode() : mapper.valueToTree(body);
        }
        message.getHeaders().clear();
        message.setBody(answer);
    }

    /** camel-salesforce's refusal as the failure the delivery reads (see the class comment). */
    public void failed(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(caught instanceof SalesforceException refusal) || refusal.getStatusCode() <= 0) {
            // no answer at all (I/O, timeout): transient
            throw new IOException("Salesforce call failed: " + (caught == null ? "unknown" : caught.getMessage()), caught);
        }
        boolean login = String.valueOf(refusal.getMessage()).contains("Login error") || refusal.getErrors() != null
                && refusal.getErrors().stream().anyMatch(e -> String.valueOf(e.getMessage()).startsWith("Login error"));
        if (login) {
            // the token endpoint refused the connected app's credentials (invalid_grant, invalid_client_id): a setup
            // error, never the event's fault; the delivery holds the events and asks again
            throw new CredentialsRejectedException("salesforce.oauth", codes(refusal.getErrors()));
        }
        String codes = codes(refusal.getErrors());
        String uri = "salesforce:" + exchange.getProperty(OPERATION, String.class);
        if (codes.contains("REQUEST_LIMIT_EXCEEDED")) {
            throw new HttpOperationFailedException(uri, 429, "REQUEST_LIMIT_EXCEEDED (Salesforce 403)", null, Map.of(),
                    describe(refusal));
        }
        throw new HttpOperationFailedException(uri, refusal.getStatusCode(), codes.isEmpty() ? "Salesforce refused the call" : codes,
                null, Map.of(), describe(refusal));
    }

    void usage(String limitInfo) {
        if (limitInfo == null) {
            return;
        }
        Matcher m = USAGE.matcher(limitInfo);
        if (m.find()) {
            used.set(Long.parseLong(m.group(1)));
            allowed.set(Long.parseLong(m.group(2)));
        }
    }

    private static String codes(List<RestError> errors) {
        if (errors == null) {
            return "";
        }
        return String.join(", ", errors.stream().map(e -> e.getErrorCode() + ": " + e.getMessage()).toList());
    }

    private static String describe(SalesforceException refusal) {
        String codes = codes(refusal.getErrors());
        return "HTTP " + refusal.getStatusCode() + (codes.isEmpty() ? " " + refusal.getMessage() : " " + codes);
    }

    static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
