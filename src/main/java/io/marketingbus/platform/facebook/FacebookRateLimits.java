package io.marketingbus.platform.facebook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.BatchRule;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Graph API throttling (docs/platforms/facebook.md §6, §10): Meta answers a rate limit with an error code in a 4xx,
 * not with a 429. These codes become the 429 the bus understands, so the destination pauses
 * ({@code DeliveryRetryPolicy}, {@code DestinationPacing}) and the events wait instead of being dead-lettered.
 */
public final class FacebookRateLimits {

    /**
     * 4 application, 17 user, 32 page, 613 ad-account request limits; 80004 ads insights and 80014 catalog batch
     * business-use-case limits.
     */
    static final Set<Integer> CODES = Set.of(4, 17, 32, 613, 80004, 80014);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FacebookRateLimits() {
    }

    /** The caller, with Graph throttling errors turned into 429 answers. */
    public static BatchRule.Caller paced(BatchRule.Caller caller) {
        return request -> {
            try {
                return caller.call(request);
            } catch (HttpOperationFailedException e) {
                throw asRateLimit(e);
            }
        };
    }

    /** A 4xx whose Graph error code is a rate limit, as a 429 (with Meta's wait when it gives one); else itself. */
    static HttpOperationFailedException asRateLimit(HttpOperationFailedException e) {
        if (e.getStatusCode() < 400 || e.getStatusCode() >= 500 || e.getStatusCode() == 429) {
            return e;
        }
        int code = errorCode(e.getResponseBody());
        if (!CODES.contains(code)) {
            return e;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.getResponseHeaders() != null) {
            headers.putAll(e.getResponseHeaders());
        }
        long wait = regainAccessSeconds(headers);
        if (wait > 0) {
            headers.put("Retry-After", String.valueOf(wait));
        }
        return new HttpOperationFailedException(e.getUri(), 429, "Graph rate limit (error code " + code + ")",
                e.getRedirectLocation(), headers, e.getResponseBody());
    }

    static int errorCode(String body) {
        if (body == null || body.isBlank()) {
            return -1;
        }
        try {
            return MAPPER.readTree(body).path("error").path("code").asInt(-1);
        } catch (Exception notJson) {
            return -1;
        }
    }

    /**
     * The longest {@code estimated_time_to_regain_access} (minutes) of the {@code X-Business-Use-Case-Usage} or
     * {@code X-Ad-Account-Usage} header, in seconds; 0 without one.
     */
    static long regainAccessSeconds(Map<String, String> headers) {
        long minutes = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!name.equals("x-business-use-case-usage") && !name.equals("x-ad-account-usage")) {
                continue;
            }
            try {
                for (JsonNode node : MAPPER.readTree(header.getValue()).findValues("estimated_time_to_regain_access")) {
                    minutes = Math.max(minutes, node.asLong(0));
                }
            } catch (Exception unreadable) {
                // no wait given: the retry policy's backoff applies
            }
        }
        return minutes * 60;
    }
}
