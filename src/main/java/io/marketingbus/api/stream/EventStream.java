package io.marketingbus.api.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.bus.BusConsumers;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.DeliveryRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/stream} on the management port: a WebSocket on which subscribers watch, as it happens, every event
 * published on the bus's event topics and every outcome of it (the delivery records every instance writes and reads),
 * filtered per subscriber ({@link StreamFilter}), e-mails and phones masked ({@link StreamFrames}).
 * <p>
 * The bus never waits for a subscriber: one shared consumer per instance reads the event topics from their end
 * (assigned, no consumer group, nothing committed) only while someone is connected, the records come from
 * {@link DeliveryRecords}' own reader, and both only offer frames to each subscriber's bounded buffer
 * ({@link StreamSubscriber}). Every instance serves every instance's traffic: topics and records are shared.
 */
public final class EventStream extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    public static final String PATH = "/v1/stream";

    /** The stream's settings ({@code api.stream.*}). */
    public record Options(int bufferSize, int maxSubscribers, Duration pingInterval) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final StreamFrames frames = new StreamFrames(mapper);
    private final CamelContext context;
    private final int managementPort;
    private final String bootstrapServers;
    private final List<String> topics;
    private final DeliveryRecords records;
    private final StreamAuth auth;
    private final Options options;
    private final List<StreamSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Consumer<JsonNode> onRecord = this::onRecord;
    private final Object lock = new Object();
    private final StreamSubscriber.Counters counters;
    private Thread reader;
    /** The reader's; read elsewhere only to wake it up. */
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** Guarded by {@link #lock}: the reader is at the topics' end and reading. */
    private boolean positioned;
    private volatile boolean running;

    public EventStream(CamelContext context, int managementPort, String bootstrapServers, List<String> topics,
                       DeliveryRecords records, StreamAuth auth, Options options, MeterRegistry meters) {
        this.context = context;
        this.managementPort = managementPort;
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.records = records;
        this.auth = auth;
        this.options = options;
        Counter sent = BusMeters.streamFramesSent(meters);
        Counter dropped = BusMeters.streamFramesDropped(meters);
        BusMeters.streamSubscribers(meters, subscribers::size);
        this.counters = new StreamSubscriber.Counters() {
            @Override
            public void sent() {
                sent.increment();
            }

            @Override
            public void dropped(long count) {
                dropped.increment(count);
            }
        };
    }

    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = io.marketingbus.ops.ManagementRouter.lookup(context, managementPort,
                "the live stream");
        running = true;
        records.addListener(onRecord);
        reader = new Thread(this::readTopics, "marketing-bus-stream");
        reader.setDaemon(true);
        reader.start();
        router.route(PATH).handler(handler());
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        records.removeListener(onRecord);
        for (StreamSubscriber subscriber : subscribers) {
            subscriber.context().runOnContext(v -> subscriber.socket().close((short) 1001, "the bus is stopping"));
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        KafkaConsumer<String, byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        if (reader != null) {
            reader.join(3000);
        }
    }

    /** The route's handler (package-private for tests on a plain Vert.x router). */
    io.vertx.core.Handler<RoutingContext> handler() {
        running = true;
        return this::upgrade;
    }

    /** Every check answers over plain HTTP, before any WebSocket is opened. */
    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.GET) {
            answer(ctx, 405, "the stream is a WebSocket: GET " + PATH + " with an Upgrade: websocket header");
            return;
        }
        switch (auth.check(request)) {
            case OFF -> {
                answer(ctx, 403, "the stream is off: set bus.admin-token or api.stream.read-keys");
                return;
            }
            case UNAUTHORIZED -> {
                answer(ctx, 401, "a valid Authorization: Bearer <bus.admin-token or an api.stream.read-keys key> is required");
                return;
            }
            default -> {
            }
        }
        StreamFilter filter;
        try {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            for (String name : request.params().names()) {
                parameters.put(name, request.params().getAll(name));
            }
            filter = StreamFilter.parse(parameters);
        } catch (StreamFilter.BadFilterException e) {
            answer(ctx, 400, e.getMessage());
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            answer(ctx, 400, "the stream is a WebSocket: send Upgrade: websocket (e.g. websocat, a ws client)");
            return;
        }
        if (subscribers.size() >= options.maxSubscribers()) {
            answer(ctx, 503, "the stream has its " + options.maxSubscribers()
                    + " subscribers on this instance (api.stream.max-subscribers): try later or another instance");
            return;
        }
        Vertx vertx = ctx.vertx();
        boundKernelBuffer(request);
        io.vertx.core.http.HttpConnection connection = request.connection();
        request.toWebSocket().onSuccess(socket -> open(vertx, socket, connection, filter))
                .onFailure(e -> LOG.debug("stream upgrade failed: {}", e.toString()));
    }

    /**
     * Linux grows a socket's send buffer up to megabytes ({@code tcp_wmem}): a client that stops reading would absorb
     * that much before the write queue reports it full. A fixed buffer for stream connections makes a stuck
     * subscriber visible after {@link #SEND_BUFFER} bytes, so its frames are dropped from its own bounded buffer
     * instead of piling up in the kernel. Best-effort: Vert.x's connection class is internal.
     */
    private static void boundKernelBuffer(HttpServerRequest request) {
        try {
            if (request.connection() instanceof io.vertx.core.net.impl.ConnectionBase connection) {
                connection.channel().config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, SEND_BUFFER);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("stream connection keeps the system's send buffer: {}", e.toString());
        }
    }

    static final int SEND_BUFFER = 64 * 1024;

    private void open(Vertx vertx, ServerWebSocket socket, io.vertx.core.http.HttpConnection connection,
                      StreamFilter filter) {
        Context socketContext = vertx.getOrCreateContext();
        StreamSubscriber subscriber = new StreamSubscriber(socket, socketContext, filter, options.bufferSize(), frames,
                counters);
        socket.handler(message -> subscriber.heard());
        socket.pongHandler(pong -> subscriber.heard());
        long ping = options.pingInterval().toMillis();
        long timer = vertx.setPeriodic(ping, id -> {
            if (System.currentTimeMillis() - subscriber.lastHeard() > 3 * ping) {
                // no pong for three pings: a dead client (or one that has not read for that long). It will not answer
                // the close frame either: its connection goes a second later, not after Vert.x's 10 s closing wait
                socket.close((short) 1001, "no pong");
                vertx.setTimer(1000, t -> connection.close());
            } else {
                socket.writePing(Buffer.buffer("ping"));
            }
        });
        socket.closeHandler(v -> {
            vertx.cancelTimer(timer);
            subscriber.closed();
            subscribers.remove(subscriber);
        });
        socket.exceptionHandler(e -> LOG.debug("stream subscriber failed: {}", e.toString()));
        synchronized (lock) {
            subscribers.add(subscriber);
            if (positioned) {
                hello(subscriber);
            } else {
                lock.notifyAll();
            }
        }
    }

    /** The first frame: the subscriber gets every event from here on. */
    private void hello(StreamSubscriber subscriber) {
        ObjectNode frame = mapper.createObjectNode().put("kind", "subscribed");
        topics.forEach(frame.putArray("topics")::add);
        subscriber.offer(frame, frame.toString());
    }

    /**
     * The shared reader of the event topics: assigned and at their end while someone listens, unassigned (nothing
     * fetched) while nobody does. One thread and one consumer for the service's life; no group, nothing committed.
     */
    private void readTopics() {
        Properties props = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                ByteArrayDeserializer.class, "marketing-bus-stream");
        List<TopicPartition> partitions = null;
        try {
            while (running) {
                try {
                    partitions = readOnce(props, partitions);
                } catch (WakeupException | InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // Kafka unreachable, a timeout while positioning: a new consumer tries again, the thread stays
                    LOG.warn("the live stream could not read the event topics ({}); trying again in 1 s", e.toString());
                    synchronized (lock) {
                        positioned = false;
                    }
                    if (consumer != null) {
                        consumer.close(Duration.ofSeconds(1));
                        consumer = null;
                    }
                    partitions = null;
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } finally {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
            }
        }
    }

    /** One turn of the reader: wait while nobody listens, else position at the end once and poll. */
    private List<TopicPartition> readOnce(Properties props, List<TopicPartition> known) throws InterruptedException {
        List<TopicPartition> partitions = known;
        boolean idle;
        synchronized (lock) {
            idle = subscribers.isEmpty();
            if (idle) {
                positioned = false;
            }
        }
        if (idle) {
            if (consumer != null && !consumer.assignment().isEmpty()) {
                consumer.assign(List.of());
            }
            synchronized (lock) {
                if (running && subscribers.isEmpty()) {
                    lock.wait(1000);
                }
            }
            return partitions;
        }
        if (consumer == null) {
            consumer = new KafkaConsumer<>(props);
        }
        if (!positioned) {
            if (partitions == null) {
                partitions = new ArrayList<>();
                for (String topic : topics) {
                    for (var p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                        partitions.add(new TopicPartition(topic, p.partition()));
                    }
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            synchronized (lock) {
                positioned = true;
                subscribers.forEach(this::hello);
            }
        }
        for (var record : consumer.poll(Duration.ofMillis(200))) {
            ObjectNode frame = frames.event(record.topic(), record.value());
            if (frame != null) {
                publish(frame);
            }
        }
        return partitions;
    }

    private void onRecord(JsonNode record) {
        if (subscribers.isEmpty()) {
            return;
        }
        ObjectNode frame = frames.outcome(record);
        if (frame != null) {
            publish(frame);
        }
    }

    private void publish(ObjectNode frame) {
        String text = frame.toString();
        for (StreamSubscriber subscriber : subscribers) {
            subscriber.offer(frame, text);
        }
    }

    private void answer(RoutingContext ctx, int status, String error) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(mapper.createObjectNode().put("error", error).toString());
    }
}
