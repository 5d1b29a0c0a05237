package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Subscription;
import io.marketingbus.ops.DeliveryRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One record whose bookkeeping throws (a metric, its delivery record, its delivered id, its batch rule) is
 * dead-lettered with the step and the reason; the rest of its batch is delivered, their ids recorded, and the batch
 * committed. Before, the exception left {@link DeliveryBatches#deliver} and the batch was taken again for ever.
 */
class BatchBookkeepingTest {

    static final TopicPartition PARTITION = new TopicPartition("marketing.subscriptions", 0);
    static final String POISON = "mc-poison";
    static final String ITEM_ROUTE = "direct:test-delivery-item";
    static final String DEAD_LETTER_ROUTE = "direct:test-delivery-dead-letter";

    final EventCodec codec = new EventCodec(new EventSchemas());
    final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    /** What the fake platform accepted: the path of each call, one per event. */
    final List<String> platform = Collections.synchronizedList(new ArrayList<>());
    final List<String> recordedIds = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();
    CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void anEventFromTheYear2400WithTimersThatThrowIsDeliveredAndItsBatchCommitted() throws Exception {
        // the year 2400 once overflowed the latency timer; latency now starts at acceptance and its bookkeeping
        // swallows whatever a timer throws, so neither the date nor a broken timer can touch the batch
        MeterRegistry meters = new SimpleMeterRegistry() {
            @Override
            protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
                throw new ArithmeticException("long overflow");
            }
        };
        DeliveryBatches batches = start(meters, new Records(null), new Delivered(null), List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event(POISON, "2400-01-01T00:00:00Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        assertThat(dlq().getReceivedExchanges()).isEmpty();
        assertThat(platform).containsExactlyInAnyOrder("/mc-1", "/" + POISON, "/mc-3");
        assertThat(recordedIds).containsExactly("mc-1", POISON, "mc-3");
        assertThat(committed()).as("the batch's offsets are committed").isEqualTo(3);
    }

    @Test
    void aCounterThatThrowsCostsOnlyTheCountNeverAnEvent() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry() {
            @Override
            protected Counter newCounter(Meter.Id id) {
                Counter real = super.newCounter(id);
                if (!"delivered".equals(id.getTag("outcome"))) {
                    return real;
                }
                return new Counter() {
                    @Override
                    public void increment(double amount) {
                        throw new IllegalStateException("counter broken");
                    }

                    @Override
                    public double count() {
                        return real.count();
                    }

                    @Override
                    public Meter.Id getId() {
                        return real.getId();
                    }
                };
            }
        };
        DeliveryBatches batches = start(meters, new Records(null), new Delivered(null), List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event(POISON, "2026-01-15T09:31:08Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        // the batch's events are counted once, after they are settled: a broken counter dead-letters nothing
        assertThat(dlq().getReceivedExchanges()).isEmpty();
        assertThat(recordedIds).containsExactly("mc-1", POISON, "mc-3");
        assertThat(committed()).isEqualTo(3);
    }

    @Test
    void anEventWhoseFirstAttemptFailsIsTriedAgainThroughItsItemRouteAndSentOnce() throws Exception {
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(null), new Delivered(null), List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event("flaky-2", "2026-01-15T09:31:08Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        assertThat(attempts).containsEntry("flaky-2", 2);
        assertThat(dlq().getReceivedExchanges()).isEmpty();
        assertThat(platform).containsExactlyInAnyOrder("/mc-1", "/flaky-2", "/mc-3");
        assertThat(recordedIds).containsExactly("mc-1", "flaky-2", "mc-3");
        assertThat(committed()).isEqualTo(3);
    }

    @Test
    void anEventItsHandlerFailsIsDeadLetteredAsTheRecordItWasOnKafka() throws Exception {
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(null), new Delivered(null), List.of());
        CloudEvent bad = event("untranslatable-1", "2026-01-15T09:31:08Z");

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), bad));

        assertThat(dlq().getReceivedExchanges()).singleElement().satisfies(letter -> {
            assertThat(letter.getMessage().getBody(byte[].class)).isEqualTo(codec.toJson(bad));
            assertThat(letter.getMessage().getHeader("CamelHttpResponseCode")).isNull();
            assertThat(letter.getMessage().getHeader(KafkaConstants.OFFSET)).isEqualTo(1L);
            assertThat(letter.getMessage().getHeader("bus-dlq-reason", String.class)).contains("no contact in it");
        });
        assertThat(recordedIds).containsExactly("mc-1");
        assertThat(committed()).isEqualTo(2);
    }

    @Test
    void aDeliveryRecordThatThrowsDeadLettersOnlyItsEventEvenIfItsDeadLetterRecordThrowsToo() throws Exception {
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(POISON), new Delivered(null), List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event(POISON, "2026-01-15T09:31:08Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        assertOnlyThePoisonIsDeadLettered("delivery record", "records broken for " + POISON);
    }

    @Test
    void aDeliveredIdThatCannotBeWrittenDeadLettersOnlyItsEvent() throws Exception {
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(null), new Delivered(POISON), List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event(POISON, "2026-01-15T09:31:08Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        assertOnlyThePoisonIsDeadLettered("delivered-id write", "refused " + POISON);
    }

    @Test
    void whenNoDeliveredIdCanBeWrittenTheEventsAreDeadLetteredAndTheBatchStillCommits() throws Exception {
        Delivered broken = new Delivered(null) {
            @Override
            public Map<String, Exception> recordAll(String topic, List<String> eventIds) {
                throw new IllegalStateException("cannot start the delivered-events repository on " + topic);
            }
        };
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(null), broken, List.of());

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event("mc-2", "2026-01-15T09:31:08Z")));

        assertThat(dlq().getReceivedExchanges()).extracting(e -> codec.parse(e.getMessage().getBody(byte[].class)).id())
                .containsExactly("mc-1", "mc-2");
        assertThat(committed()).isEqualTo(2);
    }

    @Test
    void aRequestItsBatchRuleCannotReadDeadLettersOnlyItsEvent() throws Exception {
        BatchRule picky = new BatchRule() {
            @Override
            public boolean takes(String connector, PlatformRequest request) {
                return true;
            }

            @Override
            public String group(PlatformRequest request) {
                if (request.path().contains(POISON)) {
                    throw new IllegalArgumentException("no group for " + request.path());
                }
                return null;
            }

            @Override
            public int limit() {
                return 1;
            }

            @Override
            public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
                caller.call(parts.get(0));
                return Collections.singletonList(null);
            }
        };
        DeliveryBatches batches = start(new SimpleMeterRegistry(), new Records(null), new Delivered(null), List.of(picky));

        batches.deliver(batch(event("mc-1", "2026-01-15T09:31:07Z"), event(POISON, "2026-01-15T09:31:08Z"),
                event("mc-3", "2026-01-15T09:31:09Z")));

        assertThat(platform).containsExactlyInAnyOrder("/mc-1", "/mc-3");
        List<Exchange> dead = dlq().getReceivedExchanges();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getMessage().getHeader("bus-dlq-reason", String.class)).contains("no group for /" + POISON);
        assertThat(recordedIds).containsExactly("mc-1", "mc-3");
        assertThat(committed()).isEqualTo(3);
    }

    void assertOnlyThePoisonIsDeadLettered(String step, String why) throws Exception {
        List<Exchange> dead = dlq().getReceivedExchanges();
        assertThat(dead).hasSize(1);
        Exchange letter = dead.get(0);
        assertThat(codec.parse(letter.getMessage().getBody(byte[].class)).id()).isEqualTo(POISON);
        assertThat(letter.getMessage().getHeader("bus-dlq-reason", String.class))
                .contains("accepted by hubspot").contains("bookkeeping failed at the " + step).contains(why);
        assertThat(letter.getMessage().getHeader("bus-dlq-exception", String.class))
                .isEqualTo(BookkeepingFailedException.class.getName());
        assertThat(recordedIds).containsExactly("mc-1", "mc-3");
        assertThat(committed()).as("the batch's offsets are committed").isEqualTo(3);
    }

    long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return offset == null ? -1 : offset.offset();
    }

    MockEndpoint dlq() {
        return context.getEndpoint("mock:dlq", MockEndpoint.class);
    }

    DeliveryBatches start(MeterRegistry meters, DeliveryRecords records, DeliveredEvents delivered, List<BatchRule> rules)
            throws Exception {
        consumer.assign(List.of(PARTITION));
        context = new DefaultCamelContext();
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        DestinationBreakers breakers = new DestinationBreakers(5, 50, Duration.ofSeconds(15), Duration.ofMinutes(30), other);
        BatchCalls calls = new BatchCalls(context, rules, new DeliveryRetryPolicy(other, breakers, new DestinationPacing(),
                Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 3, Duration.ofSeconds(5)), breakers, 2, other);
        DeliveryEnvelope envelope = new DeliveryEnvelope(codec, delivered);
        // as the bus runs it: each record straight at its handler first, through the item route when that fails
        DeliveryBatches batches = new DeliveryBatches(context, calls, delivered, records, meters, envelope);
        DeadLetters deadLetters = new DeadLetters(meters, records);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // as routes/connectors/kafka-delivery.camel.yaml and routes/config/delivery-errors.camel.yaml
                from(ITEM_ROUTE).errorHandler(deadLetterChannel(DEAD_LETTER_ROUTE))
                        .bean(envelope, "open")
                        .filter(simple("${exchangeProperty.busDuplicate} != true"))
                        .toD("${exchangeProperty.busHandler}");
                from("direct:to-platform").errorHandler(noErrorHandler()).process(e -> {
                    String id = e.getProperty(DeliveryExchange.EVENT_ID, String.class);
                    if (id.startsWith("flaky") && attempts.merge(id, 1, Integer::sum) == 1) {
                        // enlists, then fails: the attempt that follows must not send this request twice
                        e.getMessage().setBody(new PlatformRequest("POST", "/" + id, null, null));
                        batches.enlist(e, "direct:platform");
                        throw new java.net.SocketTimeoutException("a transient hiccup");
                    }
                    if (id.startsWith("untranslatable")) {
                        // the handler got as far as replacing the body before it failed
                        e.getMessage().setBody("half-translated");
                        e.getMessage().setHeader("CamelHttpResponseCode", 500);
                        throw new IllegalArgumentException("no contact in it");
                    }
                    e.getMessage().setBody(new PlatformRequest("POST", "/" + e.getProperty(DeliveryExchange.EVENT_ID),
                            null, null));
                    batches.enlist(e, "direct:platform");
                });
                from("direct:platform").errorHandler(noErrorHandler()).process(e -> {
                    platform.add(e.getMessage().getBody(PlatformRequest.class).path());
                    e.getMessage().setBody(JsonNodeFactory.instance.objectNode());
                });
                from(DEAD_LETTER_ROUTE).errorHandler(noErrorHandler())
                        .bean(deadLetters, "prepare").to("mock:dlq").bean(deadLetters, "parked");
            }
        });
        context.start();
        return batches;
    }

    CloudEvent event(String id, String time) {
        String email = id + "@example.com";
        return CloudEvent.of(id, "/mailchimp/lists/l1", EventTypes.CONTACT_SUBSCRIBED, time,
                EventData.subscription(Contact.of(email, "Lucia", null, null, new Contact.Consent("subscribed", null)),
                        new Subscription("mailchimp", "l1", "m1", "subscribed", null, null)));
    }

    /** A polled batch, as the kafka-delivery template hands it over: one record per event, offsets from 0. */
    Exchange batch(CloudEvent... events) {
        Exchange batch = new DefaultExchange(context);
        batch.setProperty(DeliveryExchange.DESTINATION, "hubspot");
        batch.setProperty(DeliveryExchange.DEAD_LETTER_TOPIC, "marketing.subscriptions.hubspot.dlq");
        batch.setProperty(DeliveryExchange.DELIVERED_TOPIC, "marketing.subscriptions.hubspot.delivered");
        batch.setProperty(DeliveryExchange.HANDLER, "direct:to-platform");
        batch.setProperty(DeliveryExchange.ITEM_ENDPOINT, ITEM_ROUTE);
        batch.setProperty(DeliveryExchange.DEAD_LETTER_ENDPOINT, DEAD_LETTER_ROUTE);
        batch.getExchangeExtension().setFromRouteId("deliver-subscriptions-to-hubspot");
        List<Exchange> records = new ArrayList<>();
        for (int offset = 0; offset < events.length; offset++) {
            Exchange record = new DefaultExchange(context);
            record.getMessage().setBody(codec.toJson(events[offset]));
            record.getMessage().setHeader(KafkaConstants.KEY, events[offset].subject());
            record.getMessage().setHeader(KafkaConstants.OFFSET, (long) offset);
            record.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, new DefaultKafkaManualCommit(
                    new KafkaManualCommitFactory.CamelExchangePayload(record, consumer, "test", null),
                    new KafkaManualCommitFactory.KafkaRecordPayload(PARTITION, offset, 1000)) {
                @Override
                public void commit() {
                    throw new AssertionError("the batch commits, never a record");
                }
            });
            records.add(record);
        }
        batch.getMessage().setBody(records);
        return batch;
    }

    /** Delivery records that throw for one event, whatever the stage. */
    static final class Records extends DeliveryRecords {
        private final String failFor;

        Records(String failFor) {
            super("unused:9092", "marketing.delivery-records", 10);
            this.failFor = failFor;
        }

        @Override
        public void record(String eventId, String type, String source, String stage, String outcome, String reason,
                           String route) {
            if (eventId != null && eventId.equals(failFor)) {
                throw new IllegalStateException("records broken for " + eventId);
            }
        }
    }

    /** Delivered ids kept in memory; Kafka refuses the one of {@code failFor}. */
    class Delivered extends DeliveredEvents {
        private final String failFor;

        Delivered(String failFor) {
            super(null, "unused:9092", 10);
            this.failFor = failFor;
        }

        @Override
        public boolean contains(String topic, String eventId) {
            return recordedIds.contains(eventId);
        }

        @Override
        public Map<String, Exception> recordAll(String topic, List<String> eventIds) {
            Map<String, Exception> failed = new LinkedHashMap<>();
            for (String id : eventIds) {
                if (id.equals(failFor)) {
                    failed.put(id, new org.apache.kafka.common.errors.RecordTooLargeException("refused " + id));
                } else {
                    recordedIds.add(id);
                }
            }
            return failed;
        }
    }

}
