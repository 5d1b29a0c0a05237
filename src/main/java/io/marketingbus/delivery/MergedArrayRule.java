package io.marketingbus.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A batch API whose body holds one array of items ({@code inputs}, {@code data}, {@code events}, ...): requests to
 * the same path merge by concatenating their arrays; the rest of the body is the first request's.
 */
public abstract class MergedArrayRule implements BatchRule {

    private final String connector;
    private final String pathSuffix;
    private final String[] arrayPath;
    private final int limit;

    /**
     * @param connector  the connector route the requests go through, e.g. {@code direct:hubspot-crm}
     * @param pathSuffix how the request paths this rule takes end, e.g. {@code /batch/upsert}
     * @param arrayPath  where the array is in the body, e.g. {@code payload}, {@code data}
     * @param limit      the API's limit on the array's size
     */
    protected MergedArrayRule(String connector, String pathSuffix, int limit, String... arrayPath) {
        this.connector = connector;
        this.pathSuffix = pathSuffix;
        this.arrayPath = arrayPath;
        this.limit = limit;
    }

    @Override
    public boolean takes(String connector, PlatformRequest request) {
        return this.connector.equals(connector) && "POST".equals(request.method()) && request.body() != null
                && request.path().endsWith(pathSuffix) && array(request.body()).isArray();
    }

    @Override
    public String group(PlatformRequest request) {
        return request.path() + '|' + (request.query() == null ? "" : request.query()) + '|' + groupDetail(request.body());
    }

    /** What else must be equal for two requests to share a call (a schema, a test code); empty by default. */
    protected String groupDetail(JsonNode body) {
        return "";
    }

    @Override
    public int weight(PlatformRequest request) {
        return Math.max(1, array(request.body()).size());
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        return read(parts, caller.call(merge(parts)));
    }

    /** The parts as one request. */
    public PlatformRequest merge(List<PlatformRequest> parts) {
        PlatformRequest first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        ObjectNode body = first.body().deepCopy();
        ArrayNode merged = (ArrayNode) array(body);
        for (PlatformRequest part : parts.subList(1, parts.size())) {
            array(part.body()).forEach(merged::add);
        }
        completed(body, merged.size());
        return new PlatformRequest(first.method(), first.path(), first.query(), body);
    }

    /** Adjusts the merged body (counts, sessions) once its array holds every part's items. */
    protected void completed(ObjectNode body, int items) {
    }

    /** Per part, in order, what the platform's answer says of it: null when applied. By default all applied. */
    protected List<RuntimeException> read(List<PlatformRequest> parts, JsonNode response) {
        return new ArrayList<>(Collections.nCopies(parts.size(), null));
    }

    /** The items each part contributed, in the order they appear in the merged array. */
    protected JsonNode array(JsonNode body) {
        JsonNode node = body;
        for (String name : arrayPath) {
            node = node.path(name);
        }
        return node;
    }
}
