package io.marketingbus.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.ops.BusMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the platform requests one polled batch of events produced, in as few calls as the platforms' batch rules
 * allow. Placement keeps each contact's requests in the order they were made: a request goes into a call of a later
 * <em>level</em> than any earlier request of the same contact (so no call holds one contact twice, which HubSpot
 * refuses), calls of one level run in parallel and levels run one after the other. A call that fails transiently is
 * retried as {@link DeliveryRetryPolicy} says; one the platform rejects as a whole is split in halves until the
 * parts at fault are found, and only those fail.
 */
public final class BatchCalls {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCalls.class);

    /** A request an event's delivery made, waiting for its batch's calls. */
    public record Pending(BatchItem item, String connector, PlatformRequest request) {
    }

    /** One call to be made: parts that share a group, within the rule's limit. */
    static final class Call {
        final BatchRule rule;
        final String connector;
        final int level;
        final List<Pending> parts = new ArrayList<>();
        int weight;

        Call(BatchRule rule, String connector, int level) {
            this.rule = rule;
            this.connector = connector;
            this.level = level;
        }
    }

    private final CamelContext context;
    private final ProducerTemplate producer;
    private final List<BatchRule> rules;
    private final DeliveryRetryPolicy retry;
    private final DestinationBreakers breakers;
    private final ExecutorService pool;
    private final MeterRegistry meters;

    public BatchCalls(CamelContext context, List<BatchRule> rules, DeliveryRetryPolicy retry,
                      DestinationBreakers breakers, int threads, MeterRegistry meters) {
        this.context = context;
        this.producer = context.createProducerTemplate();
        this.rules = List.copyOf(rules);
        this.retry = retry;
        this.breakers = breakers;
        this.meters = meters;
        this.pool = context.getExecutorServiceManager().newFixedThreadPool(this, "BatchCalls", threads);
    }

    /** The policy the calls are retried under; a delivery's own attempts follow it too. */
    DeliveryRetryPolicy retryPolicy() {
        return retry;
    }

    /** Sends every pending request; a part the platform did not apply is marked failed on its item. */
    public void flush(String destination, List<Pending> pending) throws InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        Map<Integer, List<Call>> levels = new TreeMap<>();
        for (Call call : place(pending)) {
            levels.computeIfAbsent(call.level, l -> new ArrayList<>()).add(call);
        }
        for (List<Call> level : levels.values()) {
            List<Call> ready = new ArrayList<>();
            for (Call call : level) {
                // a later request of an event whose earlier one failed is not sent (as a route stops at a failure)
                call.parts.removeIf(p -> p.item().failed() || p.item().withdrawn());
                if (!call.parts.isEmpty()) {
                    ready.add(call);
                }
            }
            if (ready.size() == 1) {
                send(destination, ready.get(0));
                continue;
            }
            List<Future<?>> running = new ArrayList<>();
            for (Call call : ready) {
                running.add(pool.submit(() -> send(destination, call)));
            }
            for (Future<?> call : running) {
                try {
                    call.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a batch call failed unexpectedly", e.getCause());
                }
            }
        }
    }

    /** Package-private for tests: the calls the requests go into. */
    List<Call> place(List<Pending> pending) {
        List<Call> calls = new ArrayList<>();
        Map<String, Integer> contactLevel = new HashMap<>();
        Map<String, List<Call>> open = new HashMap<>();
        for (Pending p : pending) {
            BatchRule rule;
            String group;
            int weight;
            try {
                rule = ruleFor(p);
                group = rule.group(p.request());
                weight = rule.weight(p.request());
            } catch (RuntimeException unreadable) {
                // a request its rule cannot read fails its own event, not the batch
                p.item().fail(unreadable, p.connector(), 0, System.currentTimeMillis());
                continue;
            }
            int after = contactLevel.getOrDefault(p.item().key(), -1);
            Call target = null;
            List<Call> candidates = group == null ? null : open.computeIfAbsent(p.connector() + ' ' + group, g -> new ArrayList<>());
            if (candidates != null) {
                for (Call call : candidates) {
                    if (call.level > after && call.weight + weight <= rule.limit()) {
                        target = call;
                        break;
                    }
                }
            }
            if (target == null) {
                target = new Call(rule, p.connector(), after + 1);
                calls.add(target);
                if (candidates != null) {
                    candidates.add(target);
                }
            }
            target.parts.add(p);
            target.weight += weight;
            contactLevel.put(p.item().key(), target.level);
        }
        return calls;
    }

    private BatchRule ruleFor(Pending p) {
        for (BatchRule rule : rules) {
            if (rule.takes(p.connector(), p.request())) {
                return rule;
            }
        }
        return SingleCall.INSTANCE;
    }

    private void send(String destination, Call call) {
        try {
            BusMeters.batchCallSize(meters, destination).record(call.parts.size());
        } catch (RuntimeException e) {
            LOG.debug("{} call size not recorded: {}", destination, e.toString());
        }
        try {
            deliver(destination, call.rule, call.connector, call.parts);
        } catch (RuntimeException unexpected) {
            if (Thread.currentThread().isInterrupted()) {
                throw unexpected;
            }
            // whatever went wrong fails this call's events (dead-lettered with the reason), not the whole batch
            failAll(call.parts, unexpected, call.connector, 1, System.currentTimeMillis());
        }
    }

    private void deliver(String destination, BatchRule rule, String connector, List<Pending> parts) {
        int attempts = 0;
        int rateLimited = 0;
        long firstFailure = 0;
        long paused = 0;
        while (true) {
            List<PlatformRequest> requests = new ArrayList<>(parts.size());
            parts.forEach(p -> requests.add(p.request()));
            try {
                List<RuntimeException> outcome = rule.send(requests, request -> call(destination, connector, request));
                breakers.succeeded(destination);
                for (int i = 0; i < parts.size(); i++) {
                    if (outcome.get(i) != null) {
                        parts.get(i).item().fail(outcome.get(i), connector, attempts + 1,
                                firstFailure == 0 ? System.currentTimeMillis() : firstFailure);
                    }
                }
                return;
            } catch (Exception e) {
                attempts++;
                if (firstFailure == 0) {
                    firstFailure = System.currentTimeMillis();
                }
                if (DeliveryRetryPolicy.isTransient(e)) {
                    Duration delay = retry.delayAfter(destination, e, attempts);
                    boolean limited = DeliveryRetryPolicy.isHeld(e);
                    if (limited) {
                        rateLimited++;
                    }
                    if (retry.mayRetry(destination, e, attempts - rateLimited, firstFailure, paused, delay.toMillis())) {
                        LOG.debug("{} call of {} request(s) failed ({}), retrying in {} ms", destination, parts.size(),
                                e.toString(), delay.toMillis());
                        if (limited) {
                            paused += delay.toMillis();
                        }
                        // one record per event of the call (an event may have several requests in it)
                        java.util.Set<BatchItem> events = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                        for (Pending p : parts) {
                            if (events.add(p.item())) {
                                retry.retried(p.item().event(), destination, attempts, e);
                            }
                        }
                        sleep(delay);
                        continue;
                    }
                } else if (parts.size() > 1) {
                    // the platform refused the call as a whole: halve it to find the parts it refuses
                    int half = parts.size() / 2;
                    deliver(destination, rule, connector, parts.subList(0, half));
                    deliver(destination, rule, connector, parts.subList(half, parts.size()));
                    return;
                }
                failAll(parts, e, connector, attempts, firstFailure);
                return;
            }
        }
    }

    private JsonNode call(String destination, String connector, PlatformRequest request) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(DeliveryExchange.DESTINATION, destination);
        exchange.getMessage().setBody(request);
        // before the connector's throttle: calls held by a rate limit then go at the throttle's pace, not at once
        retry.awaitTurn(destination);
        producer.send(connector, exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return exchange.getMessage().getBody(JsonNode.class);
    }

    private static void failAll(List<Pending> parts, Exception failure, String connector, int attempts, long firstFailure) {
        RuntimeException reason = failure instanceof RuntimeException r ? r
                : new org.apache.camel.RuntimeCamelException(failure);
        for (Pending p : parts) {
            p.item().fail(reason, connector, attempts, firstFailure);
        }
    }

    /** Interrupted (the bus is stopping): the batch fails uncommitted, so its events are delivered after restart. */
    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.camel.RuntimeCamelException("interrupted while waiting to retry a platform call", e);
        }
    }
}
