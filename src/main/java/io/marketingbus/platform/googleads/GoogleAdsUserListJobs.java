package io.marketingbus.platform.googleads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * Customer Match through {@code OfflineUserDataJobService} (docs/platforms/google-ads.md §3–§4): the user-list members a batch
 * of events produced become one job per user list: create, one {@code addOperations} with partial failure on (up
 * to 10,000 identifiers, Google's recommendation per call), run. Operations Google names in
 * {@code partialFailureError} fail only their events.
 */
public final class GoogleAdsUserListJobs implements BatchRule {

    public static final int IDENTIFIERS_PER_CALL = 10_000;
    /** The connector route the jobs' calls go through (routes/platforms/google-ads.camel.yaml). */
    public static final String CONNECTOR = "direct:google-ads-api";
    private static final Pattern OPERATION_INDEX = Pattern.compile("operations\\[(\\d+)]");

    private final GoogleAdsTranslator translator;

    public GoogleAdsUserListJobs(GoogleAdsTranslator translator) {
        this.translator = translator;
    }

    @Override
    public boolean takes(String connector, PlatformRequest request) {
        return CONNECTOR.equals(connector) && request.internal()
                && request.path().startsWith(GoogleAdsTranslator.USER_LIST_MEMBER);
    }

    @Override
    public String group(PlatformRequest request) {
        return request.path();
    }

    @Override
    public int weight(PlatformRequest request) {
        int identifiers = 0;
        for (JsonNode operation : request.body().path("operations")) {
            identifiers += operation.path("create").path("userIdentifiers").size();
        }
        return Math.max(1, identifiers);
    }

    @Override
    public int limit() {
        return IDENTIFIERS_PER_CALL;
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        String userList = parts.get(0).path().substring(GoogleAdsTranslator.USER_LIST_MEMBER.length());
        String job = translator.jobResourceName(caller.call(translator.createJob(userList)));
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            for (JsonNode operation : parts.get(i).body().path("operations")) {
                operations.add(operation);
                owner.add(i);
            }
        }
        JsonNode answer = caller.call(translator.addOperations(job, operations));
        Map<Integer, String> failed = failedOperations(answer.path("partialFailureError"));
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            outcome.add(null);
        }
        for (Map.Entry<Integer, String> f : failed.entrySet()) {
            if (f.getKey() < owner.size()) {
                outcome.set(owner.get(f.getKey()), new PlatformRejectedException("google-ads", 200,
                        "Google Ads rejected the user: " + f.getValue(), answer.toString()));
            }
        }
        if (!failed.isEmpty() && outcome.stream().allMatch(o -> o == null)) {
            // Google reported a failure it did not place: the call is judged as a whole (and split)
            throw new PlatformRejectedException("google-ads", 200, "Google Ads rejected users: "
                    + answer.path("partialFailureError").path("message").asText(), answer.toString());
        }
        caller.call(translator.run(job));
        return outcome;
    }

    /** Operation index → message, from the error details' field paths or, failing those, from the message. */
    static Map<Integer, String> failedOperations(JsonNode failure) {
        Map<Integer, String> failed = new HashMap<>();
        if (failure.isMissingNode() || failure.isNull() || failure.isEmpty()) {
            return failed;
        }
        for (JsonNode detail : failure.path("details")) {
            for (JsonNode error : detail.path("errors")) {
                for (JsonNode element : error.path("location").path("fieldPathElements")) {
                    if ("operations".equals(element.path("fieldName").asText()) && element.has("index")) {
                        failed.put(element.path("index").asInt(), error.path("message").asText("rejected"));
                    }
                }
            }
        }
        if (failed.isEmpty()) {
            for (String piece : failure.path("message").asText("").split(";")) {
                Matcher m = OPERATION_INDEX.matcher(piece);
                if (m.find()) {
                    failed.put(Integer.parseInt(m.group(1)), piece.trim());
                }
            }
        }
        if (failed.isEmpty()) {
            failed.put(Integer.MAX_VALUE, failure.path("message").asText(failure.toString()));
        }
        return failed;
    }
}
