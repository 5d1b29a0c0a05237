package io.marketingbus.api.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;
import io.marketingbus.ops.DeliveryRecords;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the Segment-compatible tracking API (docs/api.md): CORS, the write key, the rate limit, the
 * body (gzip, limits), each message's checks (ids, timestamp skew, event-time window, tracking plan, duplicates),
 * then {@link TrackingTranslator}. {@link #receive} leaves every record of the call, good events and dead letters,
 * as one list for one Kafka send (camel-kafka sends an Iterable's records together and awaits them all);
 * {@link #answer} answers only after that, and only then remembers the message ids and records the acceptances.
 */
public final class TrackingApi {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingApi.class);
    public static final String PLATFORM = "tracking";
    /** Segment's limits: an event, and a whole batch (docs/platforms/README.md §16). */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    static final String RECORDS = "busTrackingRecords";
    static final String PUBLISH = "busTrackingPublish";
    static final String OUTCOME = "busTrackingOutcome";
    public static final String VIOLATIONS_HEADER = "bus-tracking-violations";
    static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Map<String, String> CALLS = Map.ofEntries(Map.entry("identify", "identify"),
            Map.entry("i", "identify"), Map.entry("track", "track"), Map.entry("t", "track"), Map.entry("page", "page"),
            Map.entry("p", "page"), Map.entry("screen", "screen"), Map.entry("s", "screen"), Map.entry("group", "group"),
            Map.entry("g", "group"), Map.entry("alias", "alias"), Map.entry("a", "alias"), Map.entry("batch", "batch"),
            Map.entry("b", "batch"), Map.entry("import", "batch"));

    private final WriteKeys writeKeys;
    private final TrackingRateLimit rateLimit;
    private final TrackingCors cors;
    private final TrackingPlan plan;
    private final RecentMessageIds recent;
    private final TrackingTranslator translator;
    private final EventTimeWindow window;
    private final IngressResponses responses;
    private final DeliveryRecords records;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    public TrackingApi(WriteKeys writeKeys, TrackingRateLimit rateLimit, TrackingCors cors, TrackingPlan plan,
                       RecentMessageIds recent, TrackingTranslator translator, EventTimeWindow window,
                       IngressResponses responses, DeliveryRecords records, Clock clock) {
        this.writeKeys = writeKeys;
        this.rateLimit = rateLimit;
        this.cors = cors;
        this.plan = plan;
        this.recent = recent;
        this.translator = translator;
        this.window = window;
        this.responses = responses;
        this.records = records;
        this.clock = clock;
    }

    /** A message refused alone: its index in the call, its id, why. */
    public record Rejection(int index, String messageId, String error) {
    }

    /** A message accepted: its source and id (for the duplicate memory) and what it became. */
    public record Accepted(String source, String messageId, List<TrackedRecord> records, List<String> violations,
                           boolean duplicate) {
    }

    /** The answer decided before Kafka (or to give after it): status, body, headers, the count's outcome. */
    record Outcome(int status, ObjectNode body, Map<String, String> headers, String counted, List<Accepted> accepted,
                   List<Rejection> rejected) {
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty(PUBLISH, false);
        Map<String, String> headers = new LinkedHashMap<>();
        String origin = in.getHeader("Origin", String.class);
        boolean allowedOrigin = cors.allowed(origin);
        if (allowedOrigin) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Vary", "Origin");
        }
        if ("OPTIONS".equalsIgnoreCase(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            if (allowedOrigin) {
                headers.put("Access-Control-Allow-Methods", "POST");
                // analytics-next sends X-Retry-Count on its retries (plugins/segmentio/fetch-dispatcher)
                headers.put("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Retry-Count");
                headers.put("Access-Control-Max-Age", TrackingCors.MAX_AGE_SECONDS);
                decide(exchange, new Outcome(204, null, headers, "preflight", List.of(), List.of()));
            } else {
                decide(exchange, refusal(403, "origin " + (origin == null ? "(none)" : origin) + " is not allowed", headers));
            }
            return;
        }
        String call = call(in);
        Instant receivedAt = clock.instant();
        byte[] raw = in.getBody(byte[].class);
        raw = raw == null ? new byte[0] : raw;
        WriteKeys.WriteKey key = null;
        String basic = basicUser(in.getHeader("Authorization", String.class));
        if (basic != null) {
            key = writeKeys.resolve(basic);
            if (key == null) {
                decide(exchange, refusal(401, "the write key is unknown", headers));
                return;
            }
        }
        JsonNode body;
        try {
            int limit = "batch".equals(call) ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
            byte[] decoded = TrackingBody.decode(raw, in.getHeader(Exchange.CONTENT_TYPE, String.class),
                    in.getHeader("Content-Encoding", String.class), limit);
            if (decoded.length > limit) {
                throw new WebhookRejectedException(400, "batch".equals(call)
                        ? "the batch is over the limit of 500 KB (" + MAX_BATCH_BYTES + " bytes)"
                        : "the event is over the limit of 32 KB (" + MAX_EVENT_BYTES + " bytes)", true);
            }
            body = UntrustedJson.parse(decoded);
            if (!body.isObject()) {
                throw new WebhookRejectedException(400, "the body must be a JSON object", true);
            }
        } catch (WebhookRejectedException e) {
            // an anonymous sender's bad body is not kept: only a known source fills the dead-letter topic
            Outcome refused = refusal(e.status(), e.getMessage(), headers);
            if (key != null && e.deadLetter()) {
                publish(exchange, List.of(deadLetter(key.source(), withoutWriteKey(raw), e.getMessage(), e.status(), exchange)));
            }
            decide(exchange, refused);
            return;
        }
        if (key == null) {
            key = writeKeys.resolve(body.path("writeKey").asText(null));
            if (key == null) {
                decide(exchange, refusal(401, body.hasNonNull("writeKey") ? "the write key is unknown"
                        : "a write key is required: HTTP Basic (the key as user name) or writeKey in the body", headers));
                return;
            }
        }
        long wait = rateLimit.take(key.id());
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            headers.put("Retry-After", String.valueOf(seconds));
            headers.put("X-RateLimit-Reset", String.valueOf(receivedAt.getEpochSecond() + seconds));
            decide(exchange, refusal(429, "rate limit of the write key exceeded, retry after " + seconds + " s", headers));
            return;
        }
        ((ObjectNode) body).remove("writeKey");
        List<ObjectNode> messages = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<Message> kafka = new ArrayList<>();
        String batchSentAt = null;
        if ("batch".equals(call)) {
            JsonNode batch = body.get("batch");
            if (batch == null || !batch.isArray()) {
                Outcome refused = refusal(400, "a batch needs batch, an array of calls", headers);
                publish(exchange, List.of(deadLetter(key.source(), body.toString().getBytes(StandardCharsets.UTF_8),
                        "a batch needs batch, an array of calls", 400, exchange)));
                decide(exchange, refused);
                return;
            }
            batchSentAt = SegmentTranslator.text(body, "sentAt");
            JsonNode context = body.get("context");
            for (JsonNode element : batch) {
                if (!element.isObject()) {
                    messages.add(null);
                    continue;
                }
                ObjectNode message = (ObjectNode) element;
                message.remove("writeKey");
                if (context != null && context.isObject()) {
                    ObjectNode merged = context.deepCopy();
                    if (message.get("context") instanceof ObjectNode own) {
                        merged.setAll(own);
                    }
                    message.set("context", merged);
                }
                messages.add(message);
            }
        } else {
            ((ObjectNode) body).put("type", call);
            messages.add((ObjectNode) body);
        }
        List<Accepted> accepted = new ArrayList<>();
        Set<String> inCall = new java.util.HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            ObjectNode message = messages.get(i);
            String messageId = message == null ? null : SegmentTranslator.text(message, "messageId");
            try {
                Accepted one = accept(key.source(), message, batchSentAt, receivedAt, inCall);
                accepted.add(one);
                if (!one.duplicate()) {
                    for (TrackedRecord record : one.records()) {
                        kafka.add(record(record, one.violations(), exchange));
                    }
                }
            } catch (InvalidEventException | WebhookRejectedException e) {
                rejected.add(new Rejection(i, messageId, e.getMessage()));
                kafka.add(deadLetter(key.source(), message == null ? "null".getBytes(StandardCharsets.UTF_8)
                        : message.toString().getBytes(StandardCharsets.UTF_8), e.getMessage(), 400, exchange));
            }
        }
        if (!kafka.isEmpty()) {
            publish(exchange, kafka);
        }
        exchange.setProperty(IngressExchange.EVENT_SOURCE, "/tracking/" + key.source());
        decide(exchange, new Outcome(rejected.isEmpty() ? 200 : 400, null, headers,
                rejected.isEmpty() ? "accepted" : "rejected", accepted, rejected));
    }

    /** One message's checks and translation; a problem rejects this message alone. */
    private Accepted accept(String source, ObjectNode message, String batchSentAt, Instant receivedAt, Set<String> inCall) {
        if (message == null) {
            throw new InvalidEventException("a call must be a JSON object");
        }
        int size = message.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_EVENT_BYTES) {
            throw new InvalidEventException("the event is over the limit of 32 KB (" + MAX_EVENT_BYTES + " bytes)");
        }
        String type = SegmentTranslator.text(message, "type");
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidEventException("unknown type '" + type + "': identify, track, page, screen, group or alias");
        }
        if (SegmentTranslator.text(message, "userId") == null && SegmentTranslator.text(message, "anonymousId") == null) {
            throw new InvalidEventException("userId or anonymousId is required");
        }
        String messageId = SegmentTranslator.text(message, "messageId");
        if (messageId == null) {
            // the same content gives the same id, so a retry of a call without messageId is still one event
            ObjectNode content = message.deepCopy();
            content.remove("sentAt");
            messageId = "api-" + Identifiers.sha256Hex(content.toString()).substring(0, 32);
        }
        String sentAt = SegmentTranslator.text(message, "sentAt");
        sentAt = sentAt != null ? sentAt : batchSentAt;
        String stamp = SegmentTranslator.text(message, "timestamp");
        stamp = stamp != null ? stamp : SegmentTranslator.text(message, "originalTimestamp");
        Instant timestamp = receivedAt;
        if (stamp != null) {
            timestamp = instant("timestamp", stamp);
            if (sentAt != null) {
                timestamp = timestamp.plusMillis(receivedAt.toEpochMilli() - instant("sentAt", sentAt).toEpochMilli());
            }
            String late = window.refusal("timestamp", stamp, timestamp);
            if (late != null) {
                throw new InvalidEventException(late);
            }
        }
        // a retry of an acknowledged call, or the same message twice in one batch: accepted, not published again
        if (recent.contains(source, messageId) || !inCall.add(messageId)) {
            return new Accepted(source, messageId, List.of(), List.of(), true);
        }
        TrackedMessage tracked = new TrackedMessage(source, type, messageId, timestamp, receivedAt, message, List.of());
        TrackingPlan.Verdict verdict = plan.check(source, type, tracked.event(), message);
        if (verdict.blocked()) {
            throw new InvalidEventException("tracking plan violation: " + String.join("; ", verdict.violations()));
        }
        if (verdict.mode() == TrackingPlan.Mode.FLAG && !verdict.violations().isEmpty()) {
            tracked = new TrackedMessage(source, type, messageId, timestamp, receivedAt, message, verdict.violations());
        }
        List<TrackedRecord> out = translator.toRecords(tracked);
        return new Accepted(source, messageId, out, tracked.violations(), false);
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException again) {
                throw new InvalidEventException(field + " " + value + " is not an ISO 8601 date-time");
            }
        }
    }

    /**
     * {@code GET /v1/projects/{writeKey}/settings}: what analytics.js fetches from Segment's CDN at load, pointing its
     * Segment.io destination at this bus (the host the page reached it on), so a page needs only
     * {@code cdnURL: '<bus>'} (or {@code cdnSettings} inline). 404 for an unknown key, as the CDN answers. The key is
     * the browser's public write key: the answer carries nothing it does not already have.
     */
    public void settings(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> headers = new LinkedHashMap<>();
        String origin = in.getHeader("Origin", String.class);
        if (cors.allowed(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Vary", "Origin");
        }
        WriteKeys.WriteKey key = writeKeys.resolve(in.getHeader("writeKey", String.class));
        // the authority the page reached the bus on (platform-http keeps the request's URL, not its Host header)
        String host = authority(in.getHeader(Exchange.HTTP_URL, String.class));
        Outcome outcome;
        if (key == null || host == null || host.isBlank()) {
            outcome = refusal(404, key == null ? "no source has this write key" : "the request names no Host", headers);
        } else {
            String forwarded = in.getHeader("X-Forwarded-Proto", String.class);
            ObjectNode body = mapper.createObjectNode();
            ObjectNode segment = body.putObject("integrations").putObject("Segment.io");
            segment.put("apiKey", in.getHeader("writeKey", String.class));
            segment.put("apiHost", host.trim() + "/v1");
            segment.put("protocol", "https".equalsIgnoreCase(forwarded) ? "https" : "http");
            segment.put("unbundledIntegrations", mapper.createArrayNode());
            ObjectNode plan = body.putObject("plan");
            plan.putObject("track").putObject("__default").put("enabled", true);
            plan.putObject("identify").putObject("__default").put("enabled", true);
            plan.putObject("group").putObject("__default").put("enabled", true);
            body.putObject("edgeFunction");
            body.put("analyticsNextEnabled", true);
            body.putObject("middlewareSettings");
            body.putObject("enabledMiddleware");
            body.putObject("metrics").put("sampleRate", 0);
            body.put("legacyVideoPluginsEnabled", false);
            body.putArray("remotePlugins");
            outcome = new Outcome(200, body, headers, "settings", List.of(), List.of());
        }
        decide(exchange, outcome);
        answer(exchange);
    }

    private static String authority(String url) {
        try {
            return url == null ? null : java.net.URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** After Kafka acknowledged every record of the call (or when nothing was to be sent): the answer. */
    public void answer(Exchange exchange) {
        Outcome outcome = exchange.getProperty(OUTCOME, Outcome.class);
        ObjectNode body = outcome.body();
        if (body == null && outcome.status() != 204) {
            body = mapper.createObjectNode();
            int taken = 0;
            for (Accepted accepted : outcome.accepted()) {
                taken++;
                if (accepted.duplicate()) {
                    continue;
                }
                recent.add(accepted.source(), accepted.messageId());
                for (TrackedRecord record : accepted.records()) {
                    records.record(record.eventId(), record.eventType(), record.eventSource(), "ingress:" + PLATFORM,
                            "accepted", accepted.violations().isEmpty() ? null
                                    : Identifiers.maskEmailsIn("tracking plan violations: "
                                    + String.join("; ", accepted.violations())),
                            exchange.getFromRouteId());
                }
            }
            if (outcome.rejected().isEmpty()) {
                body.put("success", true);
            } else {
                body.put("success", false);
                // code and message: what Segment's libraries print from an error answer (analytics-python's APIError)
                body.put("code", "invalid_request");
                body.put("message", outcome.rejected().size() + " event(s) of the call refused, " + taken
                        + " taken: " + outcome.rejected().get(0).error());
                body.put("accepted", taken);
                ArrayNode list = body.putArray("rejected");
                for (Rejection rejection : outcome.rejected()) {
                    ObjectNode item = list.addObject();
                    item.put("index", rejection.index());
                    item.put("messageId", rejection.messageId());
                    item.put("error", rejection.error());
                }
                LOG.warn("tracking: {} call(s) rejected, {} accepted; the rejected kept in {}", outcome.rejected().size(),
                        taken, IngressDeadLetter.TOPIC);
            }
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, outcome.status());
        outcome.headers().forEach(message::setHeader);
        if (body == null) {
            message.setBody(null);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        responses.count(PLATFORM, outcome.counted(), outcome.status());
    }

    private void decide(Exchange exchange, Outcome outcome) {
        exchange.setProperty(OUTCOME, outcome);
    }

    private Outcome refusal(int status, String error, Map<String, String> headers) {
        if (status != 204) {
            LOG.warn("tracking call refused with {}: {}", status, Identifiers.maskEmailsIn(error));
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("success", false);
        body.put("error", error);
        // code and message: what Segment's libraries print from an error answer (analytics-python's APIError)
        body.put("code", switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> "invalid_request";
        });
        body.put("message", error);
        return new Outcome(status, body, headers, status == 429 ? "throttled" : "rejected", List.of(), List.of());
    }

    private static void publish(Exchange exchange, List<Message> kafka) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(kafka);
        exchange.setProperty(PUBLISH, true);
    }

    /** One bus record, its topic named on it (camel-kafka's override header): one send for every record of a call. */
    private Message record(TrackedRecord record, List<String> violations, Exchange exchange) {
        IngressExchange.checkSize(record.record());
        Message message = new DefaultMessage(exchange.getContext());
        message.setBody(record.record().value());
        message.setHeader(KafkaConstants.KEY, record.record().key());
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, record.topic());
        message.setHeader("content-type", IngressExchange.CLOUDEVENTS_CONTENT_TYPE);
        message.setHeader(io.marketingbus.event.EventCodec.CHECKED_HEADER, "1");
        long acceptedAt = exchange.getProperty(IngressExchange.ACCEPTED_AT, clock.millis(), Long.class);
        exchange.setProperty(IngressExchange.ACCEPTED_AT, acceptedAt);
        message.setHeader(IngressExchange.ACCEPTED_AT_HEADER, String.valueOf(acceptedAt));
        if (!violations.isEmpty()) {
            message.setHeader(VIOLATIONS_HEADER, IngressDeadLetter.reason(String.join("; ", violations)));
        }
        return message;
    }

    /** A refused call or message for {@code marketing.ingress.dlq}, with its reason; never the write key. */
    private Message deadLetter(String source, byte[] body, String reason, int status, Exchange exchange) {
        Message message = new DefaultMessage(exchange.getContext());
        IngressDeadLetter.setBody(message, body);
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, IngressDeadLetter.TOPIC);
        message.setHeader("bus-dlq-reason", IngressDeadLetter.reason(reason));
        message.setHeader("bus-dlq-http-status", String.valueOf(status));
        message.setHeader("bus-dlq-platform", PLATFORM);
        message.setHeader("bus-dlq-source", "/tracking/" + source);
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
        message.setHeader("bus-dlq-received-at", Instant.ofEpochMilli(exchange.getClock().getCreated()).toString());
        return message;
    }

    /** The raw body of a call refused whole, its {@code writeKey} value blanked. */
    private static byte[] withoutWriteKey(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.replaceAll("\"writeKey\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", "\"writeKey\":\"(removed)\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Which call a path is: {@code /v1/identify} and {@code /v1/i} are identify; batch, b and import are batch. */
    static String call(Message in) {
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null || path.isEmpty()) {
            path = in.getHeader(Exchange.HTTP_URI, String.class);
        }
        path = path == null ? "" : path;
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        String last = path.substring(path.lastIndexOf('/') + 1);
        String call = CALLS.get(last);
        if (call == null) {
            throw new IllegalStateException("not a tracking path: " + path);
        }
        return call;
    }

    /** The user name of an HTTP Basic header (the write key), or null. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

}
