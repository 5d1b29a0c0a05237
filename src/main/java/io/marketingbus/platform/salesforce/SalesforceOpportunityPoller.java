package io.marketingbus.platform.salesforce;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressExchange;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce opportunity poller (docs/platforms/salesforce.md §6; routes/ingress/salesforce-opportunities-poll.camel.yaml):
 * each run queries the Opportunities whose {@code SystemModstamp} is in [watermark − overlap, now) (whole seconds:
 * SOQL dateTime literals have none), follows {@code nextRecordsUrl} page by page, publishes one opportunity event
 * per contact role, and only then moves the watermark. The watermark lives in the compacted state topic, so it
 * survives restarts and every instance shares it; changes seen twice make the same event ids and are delivered once.
 */
public final class SalesforceOpportunityPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceOpportunityPoller.class);
    static final String WATERMARK_KEY = "salesforce.opportunities.poll-watermark";
    static final String FROM = "pollFrom";
    static final String TO = "pollTo";
    static final String NEXT = "pollNext";
    static final String MORE = "pollMore";
    static final String FOUND = "pollFound";
    public static final String REJECTED = "pollRejected";

    /** An opportunity that could not become events, with the reason, for the ingress dead letters. */
    public record Rejected(String reason, String element) {
    }

    private final SalesforceOpportunityTranslator translator;
    private final EventCodec codec;
    private final String bootstrapServers;
    private final String stateTopic;
    private final Duration overlap;
    private final Duration initialLookback;
    private final Clock clock;

    public SalesforceOpportunityPoller(SalesforceOpportunityTranslator translator, EventCodec codec,
                                       String bootstrapServers, String stateTopic, Duration overlap,
                                       Duration initialLookback, Clock clock) {
        this.translator = translator;
        this.codec = codec;
        this.bootstrapServers = bootstrapServers;
        this.stateTopic = stateTopic;
        this.overlap = overlap;
        this.initialLookback = initialLookback;
        this.clock = clock;
    }

    /** Opens this run's window from the shared watermark. */
    public void startWindow(Exchange exchange) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Long watermark = readWatermark();
        Instant from = (watermark != null ? Instant.ofEpochMilli(watermark).minus(overlap) : now.minus(initialLookback))
                .truncatedTo(ChronoUnit.SECONDS);
        exchange.setProperty(FROM, from.toEpochMilli());
        exchange.setProperty(TO, now.toEpochMilli());
        exchange.setProperty(NEXT, null);
        exchange.setProperty(MORE, true);
        exchange.setProperty(FOUND, 0);
    }

    public PlatformRequest queryRequest(Exchange exchange) {
        String next = exchange.getProperty(NEXT, String.class);
        return next != null ? translator.queryMore(next) : translator.query(translator.soql(
                Instant.ofEpochMilli(exchange.getProperty(FROM, Long.class)), Instant.ofEpochMilli(exchange.getProperty(TO, Long.class))));
    }

    /** One page of the query result: its events become the body; the next page's URL is kept. */
    public List<BusRecord> readPage(Exchange exchange) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        List<BusRecord> records = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (JsonNode opportunity : page.path("records")) {
            try {
                for (CloudEvent event : translator.toOpportunities(opportunity)) {
                    BusRecord record = new BusRecord(event.subject(), codec.toJson(event));
                    IngressExchange.checkSize(record);
                    records.add(record);
                }
            } catch (RuntimeException e) {
                rejected.add(new Rejected("opportunity cannot be read: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage(), opportunity.toString()));
            }
        }
        if (!rejected.isEmpty()) {
            LOG.warn("Salesforce opportunity poll: {} opportunit(ies) cannot be read, kept in the ingress dead-letter topic", rejected.size());
        }
        exchange.setProperty(REJECTED, rejected);
        exchange.setProperty(FOUND, exchange.getProperty(FOUND, 0, Integer.class) + records.size());
        String next = page.path("nextRecordsUrl").asText(null);
        boolean done = page.path("done").asBoolean(true) || next == null;
        exchange.setProperty(NEXT, done ? null : next);
        exchange.setProperty(MORE, !done);
        return records;
    }

    /** For the splitter over a page's rejected opportunities: one ingress dead letter each, with its reason. */
    public void prepareRejected(Exchange exchange) {
        Rejected opportunity = exchange.getMessage().getBody(Rejected.class);
        exchange.getMessage().getHeaders().clear();
        IngressDeadLetter.setBody(exchange.getMessage(), opportunity.element().getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader("bus-dlq-reason", IngressDeadLetter.reason(opportunity.reason()));
        exchange.getMessage().setHeader("bus-dlq-platform", "salesforce");
        exchange.getMessage().setHeader("bus-dlq-route", exchange.getFromRouteId());
    }

    /** After every page went onto the bus: the new watermark, as the state topic's record. */
    public void prepareWatermark(Exchange exchange) {
        long to = exchange.getProperty(TO, Long.class);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(KafkaConstants.KEY, WATERMARK_KEY);
        exchange.getMessage().setBody(String.valueOf(to).getBytes(StandardCharsets.UTF_8));
        LOG.info("Salesforce opportunity poll: {} opportunity event(s) in [{}, {}), watermark now {}", exchange.getProperty(FOUND),
                Instant.ofEpochMilli(exchange.getProperty(FROM, Long.class)), Instant.ofEpochMilli(to), Instant.ofEpochMilli(to));
    }

    /** The last watermark any instance wrote, or null before the first poll. */
    Long readWatermark() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Long watermark = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(stateTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(stateTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (WATERMARK_KEY.equals(record.key()) && record.value() != null) {
                        watermark = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return watermark;
    }
}
