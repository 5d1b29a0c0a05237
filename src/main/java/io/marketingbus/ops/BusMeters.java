package io.marketingbus.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.delivery.DeliveryRoutes;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.IngressRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code marketing_bus_*} meter family of the generic bus, declared once with its description (Prometheus
 * {@code HELP}), its type and its labels (a platform's own family, such as GA4's sync accuracy, is declared by the
 * platform's class the same way; MetricsExpositionTest lints them all). Call sites ask this class for the meter instead of naming it themselves, so no family goes out
 * without a description or with a different label set. {@link #registerKnown} creates every family at zero at start,
 * for every destination (the {@code kafka-delivery} template's instances) and every ingress platform and outcome
 * (what the ingress routes can answer), so a dashboard or an alert sees them before the first event.
 * <p>
 * Prometheus names: Micrometer adds {@code _total} to counters and {@code _seconds} to timers.
 */
public final class BusMeters {

    private static final Logger LOG = LoggerFactory.getLogger(BusMeters.class);

    public static final String INGRESS_REQUESTS = "marketing_bus_ingress_requests";
    public static final String INGRESS_EVENTS_IGNORED = "marketing_bus_ingress_events_ignored";
    public static final String DELIVERY_EVENTS = "marketing_bus_delivery_events";
    public static final String DELIVERY_RETRIES = "marketing_bus_delivery_retries";
    public static final String DELIVERY_LATENCY = "marketing_bus_delivery_latency";
    public static final String SOURCE_LAG = "marketing_bus_source_lag";
    public static final String BATCH_CALL_SIZE = "marketing_bus_batch_call_size";
    public static final String BREAKER_STATE = "marketing_bus_breaker_state";
    public static final String CONSUMER_LAG = "marketing_bus_consumer_lag";
    public static final String CREDENTIALS_VALID = "marketing_bus_credentials_valid";
    public static final String STREAM_SUBSCRIBERS = "marketing_bus_stream_subscribers";
    public static final String STREAM_FRAMES_SENT = "marketing_bus_stream_frames_sent";
    public static final String STREAM_FRAMES_DROPPED = "marketing_bus_stream_frames_dropped";

    /** The outcomes of a delivered record (DeliveryBatches, DeadLetters). */
    public static final List<String> DELIVERY_OUTCOMES = List.of("delivered", "skipped", "dead_lettered");

    /**
     * What each {@code ingressResponses} method answers, as (outcome, HTTP status): an ingress route that calls
     * the method can give those answers. Kept next to the names so a new answer is declared with its meter.
     */
    static final Map<String, List<Answer>> INGRESS_ANSWERS = Map.of(
            "validated", List.of(new Answer("validated", 200)),
            "accepted", List.of(new Answer("accepted", 200), new Answer("ignored", 200)),
            "acceptedBatch", List.of(new Answer("accepted", 200), new Answer("rejected", 400)),
            "noContent", List.of(new Answer("accepted", 204)),
            "rejected", List.of(new Answer("rejected", 400), new Answer("rejected", 401)),
            "busUnavailable", List.of(new Answer("unavailable", 503)));

    /** Durations past this are not a latency but a broken clock or timestamp: not recorded. */
    static final Duration ABSURD = Duration.ofDays(3653);
    /** Clocks this far apart (a source's, another instance's) make a negative duration that counts as zero. */
    static final Duration SKEW = Duration.ofHours(1);

    /** One answer an ingress route can give. */
    record Answer(String outcome, int status) {
    }

    /** Destinations, consumer groups and ingress answers found in the routes. */
    public record Known(Set<String> destinations, Set<String> consumerGroups, Map<String, Set<Answer>> ingress) {
    }

    private BusMeters() {
    }

    public static Counter ingressRequests(MeterRegistry meters, String platform, String outcome, int status) {
        return Counter.builder(INGRESS_REQUESTS)
                .description("webhook and relay requests answered, by platform, outcome and HTTP status")
                .tags("platform", platform, "outcome", outcome, "status", String.valueOf(status)).register(meters);
    }

    public static Counter ingressEventsIgnored(MeterRegistry meters, String platform) {
        return Counter.builder(INGRESS_EVENTS_IGNORED)
                .description("elements of accepted webhooks that are not for the bus (other subscription types), "
                        + "acknowledged and not forwarded")
                .tag("platform", platform).register(meters);
    }

    public static Counter deliveryEvents(MeterRegistry meters, String destination, String outcome) {
        return Counter.builder(DELIVERY_EVENTS)
                .description("events a destination has settled: delivered, skipped (a routing rule or already "
                        + "delivered) or dead_lettered")
                .tags("destination", String.valueOf(destination), "outcome", outcome).register(meters);
    }

    public static Counter deliveryRetries(MeterRegistry meters, String destination) {
        return Counter.builder(DELIVERY_RETRIES)
                .description("platform calls tried again after a transient failure (5xx, 408, 429, I/O), or held "
                        + "while the destination's breaker is open")
                .tag("destination", String.valueOf(destination)).register(meters);
    }

    public static DistributionSummary batchCallSize(MeterRegistry meters, String destination) {
        return DistributionSummary.builder(BATCH_CALL_SIZE)
                .description("requests merged into one platform call")
                .tag("destination", destination).register(meters);
    }

    /** 0 closed, 1 half-open, 2 open. */
    public static <T> void breakerState(MeterRegistry meters, String destination, T breaker, ToDoubleFunction<T> state) {
        Gauge.builder(BREAKER_STATE, breaker, state)
                .description("the destination's circuit breaker: 0 closed, 1 half-open (probing), 2 open (deliveries wait)")
                .tag("destination", destination).register(meters);
    }

    /** 1 while the credential's token endpoint gives tokens, 0 while it refuses the credential. */
    public static void credentialsValid(MeterRegistry meters, String credential, java.util.function.IntSupplier valid) {
        Gauge.builder(CREDENTIALS_VALID, valid, v -> v.getAsInt())
                .description("1 while the OAuth credential gets access tokens, 0 while its token endpoint refuses it "
                        + "(invalid_grant, invalid_client): its destinations hold their events until it is fixed")
                .tag("credential", credential).strongReference(true).register(meters);
    }

    /** The live stream's ({@code GET /v1/stream}) connected subscribers on this instance. */
    public static void streamSubscribers(MeterRegistry meters, java.util.function.IntSupplier count) {
        Gauge.builder(STREAM_SUBSCRIBERS, count, c -> c.getAsInt())
                .description("clients connected to the live event stream (/v1/stream) on this instance")
                .strongReference(true).register(meters);
    }

    public static Counter streamFramesSent(MeterRegistry meters) {
        return Counter.builder(STREAM_FRAMES_SENT)
                .description("event and outcome frames written to live stream subscribers")
                .register(meters);
    }

    public static Counter streamFramesDropped(MeterRegistry meters) {
        return Counter.builder(STREAM_FRAMES_DROPPED)
                .description("frames dropped (oldest first) for live stream subscribers that read slower than the "
                        + "bus writes; each is told how many it missed")
                .register(meters);
    }

    public static MultiGauge consumerLag(MeterRegistry meters) {
        return MultiGauge.builder(CONSUMER_LAG)
                .description("records a delivery consumer group has not yet delivered or dead-lettered")
                .register(meters);
    }

    public static Timer deliveryLatency(MeterRegistry meters, String destination) {
        return Timer.builder(DELIVERY_LATENCY)
                .description("from the bus accepting the event at ingress (the webhook, relay hit or poll that brought "
                        + "it, also for events derived from it) to the platform accepting it")
                .tag("destination", destination).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(30)).register(meters);
    }

    public static Timer sourceLag(MeterRegistry meters, String destination) {
        return Timer.builder(SOURCE_LAG)
                .description("from the event's time at its source (e.g. Mailchimp's fired_at) to the bus accepting it, "
                        + "for the events delivered to the destination")
                .tag("destination", destination)
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
                        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1),
                        Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(400))
                .register(meters);
    }

    /**
     * Records a delivered event: bus latency from its acceptance to now, and the source's lag from the event's
     * {@code time} to its acceptance. Never throws: a missing or unreadable time records nothing, a slightly negative
     * duration (clocks up to an hour apart) counts as zero, an absurd one (over ten years, or further in the
     * future) is ignored. Bookkeeping must not stop a batch.
     *
     * @param acceptedAt epoch milliseconds the bus accepted the event at, or null when the record does not say
     * @param eventTime  the CloudEvent's {@code time} (RFC 3339), or null
     */
    public static void delivered(MeterRegistry meters, String destination, Long acceptedAt, String eventTime) {
        if (acceptedAt == null || destination == null) {
            return;
        }
        try {
            delivered(deliveryLatency(meters, destination), sourceLag(meters, destination), acceptedAt, eventTime);
        } catch (RuntimeException e) {
            LOG.debug("latency of an event for {} not recorded: {}", destination, e.toString());
        }
    }

    /**
     * The same with the destination's two timers already looked up (a delivery batch looks them up once, not once
     * per event: building a meter's id and finding it in the registry cost a share of the CPU per event).
     */
    public static void delivered(Timer latency, Timer sourceLag, Long acceptedAt, String eventTime) {
        try {
            if (acceptedAt == null) {
                return;
            }
            record(latency, Math.subtractExact(System.currentTimeMillis(), acceptedAt));
            if (eventTime != null) {
                record(sourceLag, Math.subtractExact(acceptedAt, Instant.parse(eventTime).toEpochMilli()));
            }
        } catch (RuntimeException e) {
            LOG.debug("latency of an event for {} not recorded: {}", latency.getId().getTag("destination"), e.toString());
        }
    }

    /** {@link #delivered(MeterRegistry, String, Long, String)} for a delivered record; never throws either. */
    public static void delivered(MeterRegistry meters, String destination, Exchange record) {
        try {
            delivered(deliveryLatency(meters, destination), sourceLag(meters, destination), record);
        } catch (RuntimeException e) {
            LOG.debug("latency of an event for {} not recorded: {}", destination, e.toString());
        }
    }

    /** {@link #delivered(Timer, Timer, Long, String)} for a delivered record; never throws either. */
    public static void delivered(Timer latency, Timer sourceLag, Exchange record) {
        try {
            CloudEvent event = record.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
            delivered(latency, sourceLag, record.getProperty(IngressExchange.ACCEPTED_AT, Long.class),
                    event == null ? null : event.time());
        } catch (RuntimeException e) {
            LOG.debug("latency of an event not recorded: {}", e.toString());
        }
    }

    private static void record(Timer timer, long millis) {
        if (millis > ABSURD.toMillis() || millis < -SKEW.toMillis()) {
            return;
        }
        timer.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /**
     * Creates every family at zero for what the routes hold: each {@code kafka-delivery} instance's destination
     * and consumer group, and each ingress platform with the answers its route can give. Returns what it found.
     */
    public static Known registerKnown(CamelContext context, MeterRegistry meters) {
        Known known = known(context.getCamelContextExtension().getContextPlugin(Model.class));
        for (String destination : known.destinations()) {
            DELIVERY_OUTCOMES.forEach(outcome -> deliveryEvents(meters, destination, outcome));
            deliveryRetries(meters, destination);
            deliveryLatency(meters, destination);
            sourceLag(meters, destination);
            batchCallSize(meters, destination);
        }
        known.ingress().forEach((platform, answers) -> {
            answers.forEach(a -> ingressRequests(meters, platform, a.outcome(), a.status()));
            ingressEventsIgnored(meters, platform);
        });
        return known;
    }

    static Known known(Model model) {
        Set<String> destinations = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        Map<String, Set<Answer>> ingress = new LinkedHashMap<>();
        Map<String, RouteConfigurationDefinition> configurations = new LinkedHashMap<>();
        model.getRouteConfigurationDefinitions().forEach(c -> configurations.put(c.getId(), c));
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (DeliveryRoutes.isDelivery(route)) {
                // the kafka-delivery template's consumer group is marketing-bus.<topic>.<destination>
                Map<String, Object> template = route.getTemplateParameters();
                destinations.add(template.get("destination").toString());
                groups.add(ConsumerLagMetrics.GROUP_PREFIX + template.get("topic") + "." + template.get("destination"));
            }
            String platform = IngressRoutes.platformOf(route);
            if (platform == null) {
                continue;
            }
            List<ProcessorDefinition<?>> steps = new ArrayList<>(route.getOutputs());
            RouteConfigurationDefinition configuration = configurations.get(route.getRouteConfigurationId());
            if (configuration != null) {
                steps.addAll(configuration.getOnExceptions());
            }
            Set<Answer> answers = ingress.computeIfAbsent(platform, p -> new LinkedHashSet<>());
            for (ProcessorDefinition<?> step : flatten(steps)) {
                if (step instanceof BeanDefinition b && "IngressResponses".equals(b.getRef())) {
                    answers.addAll(INGRESS_ANSWERS.getOrDefault(b.getMethod(), List.of()));
                }
            }
        }
        return new Known(destinations, groups, ingress);
    }

    private static List<ProcessorDefinition<?>> flatten(List<ProcessorDefinition<?>> steps) {
        List<ProcessorDefinition<?>> all = new ArrayList<>();
        for (ProcessorDefinition<?> step : steps) {
            all.add(step);
            if (step.getOutputs() != null) {
                all.addAll(flatten(step.getOutputs()));
            }
        }
        return all;
    }
}
