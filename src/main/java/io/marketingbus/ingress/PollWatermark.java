package io.marketingbus.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.marketingbus.bus.BusConsumers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A poller's watermark in the compacted state topic, shared by every instance and kept across restarts (the HubSpot
 * deal poller, the Salesforce opportunity poller): where the next window starts (the watermark less the overlap, or
 * now less the first look-back before any poll), the record that moves it once every page is on the bus, and the
 * ingress dead letter of an element a poll could not read.
 */
public final class PollWatermark {

    /** Exchange properties of a poll run, in epoch milliseconds: the window [FROM, TO), and events found so far. */
    public static final String FROM = "pollFrom";
    public static final String TO = "pollTo";
    public static final String MORE = "pollMore";
    public static final String FOUND = "pollFound";
    /** The elements of this page that could not become events, each with its reason, for the ingress dead letters. */
    public static final String REJECTED = "pollRejected";

    private final String key;
    private final String bootstrapServers;
    private final String stateTopic;
    private final Duration overlap;
    private final Duration initialLookback;

    /** @param key the watermark's record key in the state topic, e.g. {@code hubspot.deals.poll-watermark} */
    public PollWatermark(String key, String bootstrapServers, String stateTopic, Duration overlap, Duration initialLookback) {
        this.key = key;
        this.bootstrapServers = bootstrapServers;
        this.stateTopic = stateTopic;
        this.overlap = overlap;
        this.initialLookback = initialLookback;
    }

    /** Where a window ending now starts: the last watermark less the overlap, or now less the first look-back. */
    public long windowFrom(long now) {
        Long watermark = read();
        return watermark != null ? watermark - overlap.toMillis() : now - initialLookback.toMillis();
    }

    /** After every page went onto the bus: the window's end ({@link #TO}) as the state topic's new watermark record. */
    public void prepareRecord(Exchange exchange) {
        long to = exchange.getProperty(TO, Long.class);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        exchange.getMessage().setBody(String.valueOf(to).getBytes(StandardCharsets.UTF_8));
    }

    /** An element a poll could not read, as its ingress dead letter: the element's text, the reason, who polled. */
    public static void prepareRejected(Exchange exchange, String platform, String reason, String element) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        IngressDeadLetter.setBody(message, element.getBytes(StandardCharsets.UTF_8));
        message.setHeader("bus-dlq-reason", IngressDeadLetter.reason(reason));
        message.setHeader("bus-dlq-platform", platform);
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
    }

    /** The last watermark any instance wrote, or null before the first poll. */
    public Long read() {
        Properties props = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                ByteArrayDeserializer.class, null);
        Long watermark = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(stateTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(stateTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && record.value() != null) {
                        watermark = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return watermark;
    }
}
