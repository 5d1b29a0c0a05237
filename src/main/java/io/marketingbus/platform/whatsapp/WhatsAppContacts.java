package io.marketingbus.platform.whatsapp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.bus.BusConsumers;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Messaging;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the bus knows of each WhatsApp number (docs/platforms/whatsapp.md, "How the bus uses it"): its opt-in, its
 * opt-out and an error that holds template sends. Kept in the compacted state topic ({@code bus.topics.state}) under
 * {@code whatsapp-contact/<SHA-256 of the E.164 phone>}, the latest state per number, so it survives restarts and
 * every instance reads the same. {@link #record} folds each {@code marketing.messaging} event into it (the
 * {@code whatsapp-contacts} delivery, one consumer per number's partition); {@link #lookup} reads the topic up to its
 * end first, so a state another instance wrote is seen.
 */
public final class WhatsAppContacts implements org.apache.camel.Service {

    public static final String KEY_PREFIX = "whatsapp-contact/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A number's state; {@code heldBy} is the error code that stops template sends, null when none does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(boolean optedIn, boolean optedOut, String changedAt, Integer heldBy, String heldReason,
                        Integer lastError) {
        public static final State NONE = new State(false, false, null, null, null, null);
    }

    private final String bootstrapServers;
    private final String stateTopic;
    private final Set<Integer> holdErrors;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions;

    /** @param holdErrors WhatsApp error codes after which no template is sent to the number again */
    public WhatsAppContacts(String bootstrapServers, String stateTopic, Set<Integer> holdErrors) {
        this.bootstrapServers = bootstrapServers;
        this.stateTopic = stateTopic;
        this.holdErrors = Set.copyOf(holdErrors);
    }

    /** The number's state, after reading what every instance wrote so far. */
    public State lookup(String e164Phone) {
        catchUp();
        return states.getOrDefault(Messaging.key(e164Phone), State.NONE);
    }

    /**
     * Folds a messaging event into its number's state and leaves the state topic's record on the message, or sets
     * the {@code whatsappUnchanged} property when the state does not change (a delivered or read status).
     */
    public void record(Exchange exchange) throws Exception {
        CloudEvent event = exchange.getProperty("busCloudEvent", CloudEvent.class);
        Messaging m = event.data().messaging();
        State before = lookup(m.phone());
        State after = apply(before, event.type(), m, holdErrors);
        exchange.getMessage().getHeaders().clear();
        if (after.equals(before)) {
            exchange.setProperty("whatsappUnchanged", true);
            exchange.getMessage().setBody(null);
            return;
        }
        String key = KEY_PREFIX + event.subject();
        exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        // the state is read back from the topic (lookup), never ahead of what Kafka has
        exchange.getMessage().setBody(MAPPER.writeValueAsBytes(after));
    }

    static State apply(State s, String type, Messaging m, Set<Integer> holdErrors) {
        if (EventTypes.CONTACT_MESSAGING_OPTED_IN.equals(type)) {
            return new State(true, false, m.timestamp(), s.heldBy(), s.heldReason(), s.lastError());
        }
        if (EventTypes.CONTACT_MESSAGING_OPTED_OUT.equals(type)) {
            return new State(false, true, m.timestamp(), s.heldBy(), s.heldReason(), s.lastError());
        }
        if (EventTypes.MESSAGE_STATUS.equals(type) && "failed".equals(m.status()) && m.errorCode() != null) {
            boolean hold = holdErrors.contains(m.errorCode());
            return new State(s.optedIn(), s.optedOut(), s.changedAt(), hold ? m.errorCode() : s.heldBy(),
                    hold ? m.errorCode() + " " + (m.errorTitle() == null ? "" : m.errorTitle()) : s.heldReason(),
                    m.errorCode());
        }
        return s;
    }

    private synchronized void catchUp() {
        if (consumer == null) {
            Properties props = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                    ByteArrayDeserializer.class, "marketing-bus-whatsapp-contacts");
            consumer = new KafkaConsumer<>(props);
            partitions = consumer.partitionsFor(stateTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(stateTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        var end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() == null || !r.key().startsWith(KEY_PREFIX)) {
                    continue;
                }
                String key = r.key().substring(KEY_PREFIX.length());
                if (r.value() == null) {
                    states.remove(key);
                    continue;
                }
                try {
                    states.put(key, MAPPER.readValue(new String(r.value(), StandardCharsets.UTF_8), State.class));
                } catch (Exception unreadable) {
                    // a record written by a newer version: the last readable state stands
                }
            }
        }
    }

    @Override
    public void start() {
        // the state topic is read on the first lookup, once the broker and the topics are there
    }

    /** Closes the state topic's consumer when the bus stops. */
    @Override
    public synchronized void stop() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
