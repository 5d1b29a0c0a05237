package io.marketingbus.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.DeliveryRecords;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.MDC;

/**
 * Delivers one polled batch of records to a destination (the {@code kafka-delivery} template hands it over). Each
 * record runs through its delivery's item route ({@code direct:<delivery>-item}): opened, skipped if already
 * delivered, routed and translated by the flow's handler, with that route's retries and dead letter. Requests the
 * handler {@link #enlist enlisted} are then sent together ({@link BatchCalls}); events whose part failed are
 * dead-lettered one by one, the others count as delivered, their ids are written to the destination's delivered
 * topic, and only then are the batch's offsets committed, in one commit for all its partitions. Nothing one record
 * does (nor any bookkeeping about it) can keep the batch from committing: it is that record that is dead-lettered,
 * saying why.
 */
public final class DeliveryBatches {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeliveryBatches.class);

    /** What every record of a batch takes from the batch (set by the template). */
    private static final List<String> BATCH_PROPERTIES = List.of(DeliveryExchange.DESTINATION,
            DeliveryExchange.DEAD_LETTER_TOPIC, DeliveryExchange.DELIVERED_TOPIC, DeliveryExchange.HANDLER,
            DeliveryExchange.DEAD_LETTER_ENDPOINT);
    /** What a dead letter written after the batch's calls takes from its record. */
    private static final List<String> DEAD_LETTER_PROPERTIES = List.of(DeliveryExchange.DESTINATION,
            DeliveryExchange.DEAD_LETTER_TOPIC, DeliveryExchange.EVENT_ID, DeliveryExchange.EVENT_TYPE,
            DeliveryExchange.ROUTE);

    private final ProducerTemplate producer;
    private final CamelContext context;
    private final BatchCalls calls;
    private final DeliveredEvents delivered;
    private final DeliveryRecords records;
    private final MeterRegistry meters;
    private final DeliveryEnvelope envelope;

    /** @param envelope opens records for their first attempt, straight at the handler ({@link #attempted}) */
    public DeliveryBatches(CamelContext context, BatchCalls calls, DeliveredEvents delivered, DeliveryRecords records,
                           MeterRegistry meters, DeliveryEnvelope envelope) {
        this.envelope = envelope;
        this.context = context;
        this.producer = context.createProducerTemplate();
        this.calls = calls;
        this.delivered = delivered;
        this.records = records;
        this.meters = meters;
    }

    public void deliver(Exchange batch) throws Exception {
        long started = System.nanoTime();
        List<?> polled = batch.getMessage().getBody(List.class);
        String destination = batch.getProperty(DeliveryExchange.DESTINATION, String.class);
        String route = batch.getFromRouteId();
        // resolved once per batch: a URI string would be normalised and looked up again for every record
        org.apache.camel.Endpoint itemEndpoint = context.getEndpoint(
                batch.getProperty(DeliveryExchange.ITEM_ENDPOINT, String.class));
        String handlerUri = batch.getProperty(DeliveryExchange.HANDLER, String.class);
        // a batch handed over without its handler (none of the template's) goes through the item route alone
        org.apache.camel.Endpoint handler = handlerUri == null ? null : context.getEndpoint(handlerUri);
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Consumer<?, ?> consumer = null;
        List<BatchCalls.Pending> pending = new ArrayList<>();
        List<Exchange> done = new ArrayList<>(polled.size());
        List<BatchItem> items = new ArrayList<>(polled.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        try {
            for (Object o : polled) {
                Exchange record = (Exchange) o;
                KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
                if (commit instanceof DefaultKafkaManualCommit c) {
                    offsets.put(c.getPartition(), new OffsetAndMetadata(c.getRecordOffset() + 1));
                    consumer = c.getConsumer();
                }
                BatchItem item = open(record, batch, pending, seen);
                if (handler == null || !attempted(record, item, handler)) {
                    producer.send(itemEndpoint, record);
                }
                if (record.getException() != null) {
                    // not even its dead letter could be written: the batch stops uncommitted and comes back
                    settle(destination, route, done, items, false);
                    throw record.getException();
                }
                if (record.getProperty(DeliveryExchange.PARKED, false, Boolean.class)) {
                    item.withdraw();
                }
                done.add(record);
                items.add(item);
            }
            long handled = System.nanoTime();
            calls.flush(destination, pending);
            long sent = System.nanoTime();
            settle(destination, route, done, items, true);
            long settled = System.nanoTime();
            if (consumer != null && !offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
            long committed = System.nanoTime();
            LOG.debug("{} batch of {}: events {} ms, calls {} ms, settle {} ms, commit {} ms", destination, polled.size(),
                    (handled - started) / 1_000_000, (sent - handled) / 1_000_000, (settled - sent) / 1_000_000,
                    (committed - settled) / 1_000_000);
        } finally {
            MDC.remove("eventId");
            MDC.remove("destination");
        }
    }

    /**
     * The first attempt at an event, straight at its handler: the record opened here and the handler's route run,
     * without the item route around it (its error handler's copy of the exchange, its unit of work and statistics,
     * the opening bean and the duplicate filter cost a share of the CPU per event, for the rare event that fails).
     * True when the event is settled: handled, or skipped as a duplicate. False when it failed, having been put back
     * as it came (body, headers, its requests taken back): the item route then takes it afresh, with its retries and
     * dead letter, exactly as if this attempt had not been made.
     */
    private boolean attempted(Exchange record, BatchItem item, org.apache.camel.Endpoint handler) throws Exception {
        try {
            envelope.open(record);
        } catch (RuntimeException unreadable) {
            return failedFirst(record, item, unreadable, "bean://DeliveryEnvelope?method=open");
        }
        if (record.getProperty(DeliveryExchange.DUPLICATE, false, Boolean.class)) {
            return true;
        }
        producer.send(handler, record);
        Exception failure = record.getException();
        if (failure == null) {
            return true;
        }
        return failedFirst(record, item, failure, handler.getEndpointUri());
    }

    /**
     * The first attempt failed: what the item route's error handler ({@code delivery-errors}) does after a failed
     * attempt, done here. The failure is counted ({@link DeliveryRetryPolicy#recordFailure}: attempts, breaker,
     * pacing); when the policy allows another attempt, the record is put back as it came after the policy's delay and
     * the item route takes it, its count going on from this attempt (false); otherwise it is dead-lettered now, after
     * this one attempt, as the item route would (true). A platform is never called again for an event it refused.
     */
    private boolean failedFirst(Exchange record, BatchItem item, Exception failure, String failedAt) throws Exception {
        putBack(record, item);
        DeliveryRetryPolicy policy = calls.retryPolicy();
        record.setException(failure);
        policy.recordFailure(record);
        boolean again = policy.shouldRetry(record);
        long delay = record.getIn().getHeader(Exchange.REDELIVERY_DELAY, 0L, Long.class);
        record.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        record.setException(null);
        if (again) {
            if (delay > 0) {
                // on the consumer thread, as the item route's redelivery waits (its offset commits after it)
                Thread.sleep(delay);
            }
            return false;
        }
        record.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        record.setProperty(Exchange.FAILURE_ENDPOINT, failedAt);
        producer.send(record.getProperty(DeliveryExchange.DEAD_LETTER_ENDPOINT, String.class), record);
        return true;
    }

    private static void putBack(Exchange record, BatchItem item) {
        // its id entered the batch's seen ids when it was opened, not when an earlier copy was (that one is a duplicate,
        // settled without a handler)
        item.undo(record.getProperty(DeliveryExchange.EVENT_ID, String.class));
        record.setException(null);
        record.setRouteStop(false);
        record.setRollbackOnly(false);
        // what the failed attempt left (caught exception, failure endpoint and route, handled flags)
        record.removeProperties("Camel*");
        record.getExchangeExtension().setErrorHandlerHandled(null);
        record.getExchangeExtension().setRedeliveryExhausted(false);
        record.getExchangeExtension().setFailureHandled(false);
        for (String property : List.of(DeliveryExchange.SKIPPED, DeliveryExchange.SKIP_REASON, DeliveryExchange.DUPLICATE)) {
            record.removeProperty(property);
        }
        Map<String, Object> headers = new HashMap<>(item.headers());
        record.getMessage().setHeaders(headers);
        record.getMessage().setBody(item.record());
    }

    /** Called from a handler route: the request in the body is sent with the batch's other requests. */
    public void enlist(Exchange exchange, String connector) throws Exception {
        BatchItem item = exchange.getProperty(DeliveryExchange.BATCH_ITEM, BatchItem.class);
        PlatformRequest request = exchange.getMessage().getMandatoryBody(PlatformRequest.class);
        if (item == null) {
            throw new IllegalStateException("enlist outside a delivery batch (" + connector + ")");
        }
        item.enlist(connector, request);
    }

    private static BatchItem open(Exchange record, Exchange batch, List<BatchCalls.Pending> pending,
                                  java.util.Set<String> seen) {
        Object key = record.getMessage().getHeader(KafkaConstants.KEY);
        Map<String, Object> headers = new HashMap<>(record.getMessage().getHeaders());
        headers.remove(KafkaConstants.MANUAL_COMMIT);
        BatchItem item = new BatchItem(key == null ? "offset-" + record.getMessage().getHeader(KafkaConstants.OFFSET)
                : key.toString(), record.getMessage().getBody(byte[].class), headers, pending, seen);
        for (String name : BATCH_PROPERTIES) {
            record.setProperty(name, batch.getProperty(name));
        }
        record.setProperty(DeliveryExchange.BATCH_ITEM, item);
        item.event(record);
        record.setProperty(DeliveryExchange.ROUTE, batch.getFromRouteId());
        return item;
    }

    /**
     * Accounts for every record handled so far (with its requests sent): dead-lettered, skipped or delivered. Each
     * record's bookkeeping (counter, delivery record, latency) is its own: a step that throws dead-letters that
     * record with the step and the reason, and the others are settled as usual, so the batch still commits.
     */
    private void settle(String destination, String route, List<Exchange> done, List<BatchItem> items, boolean sent)
            throws Exception {
        List<Integer> deliveredAt = new ArrayList<>();
        // the destination's timers, looked up once per batch rather than once per event; a registry that fails
        // costs the latencies, never an event
        io.micrometer.core.instrument.Timer latency = null;
        io.micrometer.core.instrument.Timer sourceLag = null;
        try {
            latency = BusMeters.deliveryLatency(meters, destination);
            sourceLag = BusMeters.sourceLag(meters, destination);
        } catch (RuntimeException e) {
            LOG.debug("{} latency timers unavailable: {}", destination, e.toString());
        }
        int deliveredCount = 0;
        int skippedCount = 0;
        for (int i = 0; i < done.size(); i++) {
            Exchange record = done.get(i);
            BatchItem item = items.get(i);
            if (record.getProperty(DeliveryExchange.PARKED, false, Boolean.class) || (!sent && item.enlisted())) {
                continue;
            }
            if (item.failed()) {
                deadLetter(record, item);
                continue;
            }
            boolean skipped = record.getProperty(DeliveryExchange.SKIPPED, false, Boolean.class);
            String eventId = record.getProperty(DeliveryExchange.EVENT_ID, String.class);
            String step = "delivery record";
            try {
                records.record(eventId, record.getProperty(DeliveryExchange.EVENT_TYPE, String.class),
                        DeliveryExchange.source(record), destination,
                        skipped ? "skipped" : "delivered", record.getProperty(DeliveryExchange.SKIP_REASON, String.class), route);
                if (skipped) {
                    skippedCount++;
                } else {
                    step = "latency metric";
                    if (latency != null && sourceLag != null) {
                        BusMeters.delivered(latency, sourceLag, record);
                    }
                    deliveredCount++;
                    deliveredAt.add(i);
                }
            } catch (RuntimeException e) {
                bookkeepingFailed(destination, record, item, skipped, step, e);
            }
        }
        countSettled(destination, deliveredCount, skippedCount);
        recordDelivered(destination, done, items, deliveredAt);
        // the batch's delivery records leave together, now rather than at the records' timer
        records.flush();
    }

    /** The batch's settled events, counted once per batch; a meter that fails costs the count, never an event. */
    private void countSettled(String destination, int deliveredCount, int skippedCount) {
        try {
            if (deliveredCount > 0) {
                BusMeters.deliveryEvents(meters, destination, "delivered").increment(deliveredCount);
            }
            if (skippedCount > 0) {
                BusMeters.deliveryEvents(meters, destination, "skipped").increment(skippedCount);
            }
        } catch (RuntimeException e) {
            LOG.debug("{} delivery counters not updated: {}", destination, e.toString());
        }
    }

    /**
     * Writes the ids of the batch's delivered events. The platform has them already: an id that cannot be written
     * dead-letters its event with the reason (a replay re-sends it, which the platforms absorb) rather than failing
     * the batch, whose retry would re-send every event of it, and, should the write keep failing, for ever.
     */
    private void recordDelivered(String destination, List<Exchange> done, List<BatchItem> items,
                                 List<Integer> deliveredAt) throws Exception {
        if (deliveredAt.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(deliveredAt.size());
        for (int i : deliveredAt) {
            ids.add(done.get(i).getProperty(DeliveryExchange.EVENT_ID, String.class));
        }
        Map<String, Exception> failed;
        try {
            failed = delivered.recordAll(done.get(0).getProperty(DeliveryExchange.DELIVERED_TOPIC, String.class), ids);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failed = new HashMap<>();
            for (String id : ids) {
                failed.put(id, e);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        for (int k = 0; k < deliveredAt.size(); k++) {
            Exception why = failed.get(ids.get(k));
            if (why != null) {
                int i = deliveredAt.get(k);
                bookkeepingFailed(destination, done.get(i), items.get(i), false, "delivered-id write", why);
            }
        }
    }

    /** The event's bookkeeping failed at {@code step}: it is dead-lettered saying so, instead of stalling its batch. */
    private void bookkeepingFailed(String destination, Exchange record, BatchItem item, boolean skipped, String step,
                                   Exception failure) throws Exception {
        LOG.debug("{} bookkeeping of event {} failed at the {}", destination,
                record.getProperty(DeliveryExchange.EVENT_ID), step, failure);
        item.fail(new BookkeepingFailedException((skipped ? "skipped for " : "accepted by ") + destination
                + ", but its bookkeeping failed at the " + step + ": " + failure.getClass().getSimpleName() + ": "
                + failure.getMessage(), failure), "bookkeeping: " + step, 1, System.currentTimeMillis());
        deadLetter(record, item);
    }

    /** A part of this event was refused or kept failing: its original record goes to the dead-letter topic. */
    private void deadLetter(Exchange record, BatchItem item) throws Exception {
        Exchange letter = new DefaultExchange(context);
        letter.getMessage().setHeaders(new HashMap<>(item.headers()));
        letter.getMessage().setBody(item.record());
        for (String name : DEAD_LETTER_PROPERTIES) {
            letter.setProperty(name, record.getProperty(name));
        }
        letter.setProperty(Exchange.EXCEPTION_CAUGHT, item.failure());
        letter.setProperty(Exchange.FAILURE_ENDPOINT, item.failedAt());
        letter.setProperty(DeliveryExchange.ATTEMPTS, item.attempts());
        letter.setProperty(DeliveryExchange.FIRST_FAILURE_AT, item.firstFailureAt());
        producer.send(record.getProperty(DeliveryExchange.DEAD_LETTER_ENDPOINT, String.class), letter);
        if (letter.getException() != null) {
            throw letter.getException();
        }
    }
}
