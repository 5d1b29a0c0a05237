package io.marketingbus.platform.mixpanel;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.CredentialsRejectedException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Mixpanel's Ingestion API takes arrays (docs/platforms/mixpanel.md §3–§5): {@code /import} and {@code /engage}
 * requests of one batch are concatenated into calls of at most {@value #MAX_RECORDS} records and {@value #MAX_BYTES}
 * bytes of uncompressed JSON. A strict-mode {@code 400} on {@code /import} is a partial success: Mixpanel names
 * the refused records by index in {@code failed_records}, only the events behind those fail (with Mixpanel's
 * reason) and the rest count as delivered. A 401 or 403 is the service account's (or token's) fault, never the
 * events': they are held ({@link CredentialsRejectedException}) until the credential is fixed.
 */
public final class MixpanelBatches implements BatchRule {

    public static final String IMPORT = "/import";
    public static final String ENGAGE = "/engage";
    static final String CONNECTOR = "direct:mixpanel-api";
    /** Records per call, {@code /import} and {@code /engage} alike (§3, §5). */
    static final int MAX_RECORDS = 2000;
    /** Uncompressed bytes per {@code /import} call (§3: 10 MB today; 2 MB in older copies of the page). */
    static final int MAX_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int maxBytes;

    public MixpanelBatches() {
        this(MAX_BYTES);
    }

    /** For tests: a smaller byte limit. */
    MixpanelBatches(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean takes(String connector, PlatformRequest request) {
        return CONNECTOR.equals(connector) && "POST".equals(request.method()) && request.body() != null
                && request.body().isArray() && (IMPORT.equals(request.path()) || ENGAGE.equals(request.path()));
    }

    @Override
    public String group(PlatformRequest request) {
        return request.path() + '?' + request.query();
    }

    @Override
    public int weight(PlatformRequest request) {
        return Math.max(1, request.body().size());
    }

    @Override
    public int limit() {
        return MAX_RECORDS;
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        int from = 0;
        while (from < parts.size()) {
            int to = from;
            int records = 0;
            long bytes = 2;
            while (to < parts.size()) {
                int size = parts.get(to).body().size();
                long partBytes = MAPPER.writeValueAsBytes(parts.get(to).body()).length;
                if (to > from && (records + size > MAX_RECORDS || bytes + partBytes > maxBytes)) {
                    break;
                }
                records += size;
                bytes += partBytes;
                to++;
            }
            outcome.addAll(sendOne(parts.subList(from, to), caller));
            from = to;
        }
        return outcome;
    }

    private List<RuntimeException> sendOne(List<PlatformRequest> parts, Caller caller) throws Exception {
        PlatformRequest first = parts.get(0);
        ArrayNode merged = MAPPER.createArrayNode();
        for (PlatformRequest part : parts) {
            part.body().forEach(merged::add);
        }
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        try {
            caller.call(new PlatformRequest(first.method(), first.path(), first.query(), merged));
        } catch (Exception e) {
            HttpOperationFailedException http = httpFailure(e);
            if (http == null) {
                throw e;
            }
            if (http.getStatusCode() == 401 || http.getStatusCode() == 403) {
                throw CredentialsRejectedException.refusedByPlatform(first.path().equals(ENGAGE)
                        ? "mixpanel.project-token" : "mixpanel.service-account", "Mixpanel answered "
                        + http.getStatusCode() + " (" + message(http.getResponseBody()) + ") to " + first.path());
            }
            if (http.getStatusCode() != 400 || !IMPORT.equals(first.path())) {
                throw e;
            }
            return failedRecords(parts, http);
        }
        parts.forEach(p -> outcome.add(null));
        return outcome;
    }

    /** The strict-mode 400: the parts whose records Mixpanel names failed, the others were imported. */
    private static List<RuntimeException> failedRecords(List<PlatformRequest> parts, HttpOperationFailedException http)
            throws HttpOperationFailedException {
        JsonNode answer;
        try {
            answer = MAPPER.readTree(http.getResponseBody() == null ? "" : http.getResponseBody());
        } catch (Exception unreadable) {
            throw http;
        }
        JsonNode failed = answer == null ? null : answer.get("failed_records");
        if (failed == null || !failed.isArray() || failed.isEmpty()) {
            // the request as a whole was refused: BatchCalls halves it to find the culprits
            throw http;
        }
        List<List<String>> reasons = new ArrayList<>();
        int[] firstIndex = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) {
            reasons.add(new ArrayList<>());
            firstIndex[i + 1] = firstIndex[i] + parts.get(i).body().size();
        }
        for (JsonNode record : failed) {
            int index = record.path("index").asInt(-1);
            int part = partOf(firstIndex, index);
            if (part < 0) {
                throw http;
            }
            String insertId = record.path("$insert_id").asText(record.path("insert_id").asText(""));
            reasons.get(part).add("event " + insertId + ": " + record.path("field").asText("?") + ": "
                    + record.path("message").asText("no message"));
        }
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        for (List<String> reason : reasons) {
            outcome.add(reason.isEmpty() ? null : new PlatformRejectedException("mixpanel", 400,
                    "Mixpanel refused " + String.join("; ", reason), answer.toString()));
        }
        return outcome;
    }

    private static int partOf(int[] firstIndex, int index) {
        for (int part = 0; part < firstIndex.length - 1; part++) {
            if (index >= firstIndex[part] && index < firstIndex[part + 1]) {
                return part;
            }
        }
        return -1;
    }

    private static HttpOperationFailedException httpFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }

    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode answer = MAPPER.readTree(body);
            return answer.path("error").asText(body);
        } catch (Exception unreadable) {
            return body.substring(0, Math.min(body.length(), 200));
        }
    }
}
