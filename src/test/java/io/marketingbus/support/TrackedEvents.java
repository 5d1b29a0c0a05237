package io.marketingbus.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Identity;
import io.marketingbus.event.Subscription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tracking API's events in the shared shapes of issue 15 (what its translator produces), built with the event
 * classes and validated by {@link EventCodec} as they are written, and put straight on their topics.
 */
public final class TrackedEvents {

    public static final String SUBSCRIPTIONS = "marketing.subscriptions";
    public static final String HITS = "marketing.analytics-hits";
    public static final String PURCHASES = "marketing.purchases";
    static final EventCodec CODEC = new EventCodec(new EventSchemas());

    /** A tracked event with its topic and record key. */
    public record Tracked(String topic, String key, CloudEvent event) {
        public String id() {
            return event.id();
        }
    }

    private TrackedEvents() {
    }

    /** {@code seg-} + the first 32 hex of SHA-256(source name | messageId). */
    public static String id(String sourceName, String messageId) {
        return "seg-" + Identifiers.sha256Hex(sourceName + "|" + messageId).substring(0, 32);
    }

    static String source(String sourceName) {
        return "/tracking/" + sourceName;
    }

    /** A {@code track}/{@code page} as the GA4 relay's hit shape: one event, its Segment name in segment_event. */
    public static Tracked hit(String sourceName, String messageId, String anonymousId, String userId, Instant time,
                              String ga4Name, String segmentName, Map<String, Object> params) {
        ObjectNode hit = JsonNodeFactory.instance.objectNode();
        hit.put("client_id", anonymousId != null ? anonymousId : userId);
        if (userId != null) {
            hit.put("user_id", userId);
        }
        hit.put("timestamp_micros", time.toEpochMilli() * 1000);
        ObjectNode event = hit.putArray("events").addObject();
        event.put("name", ga4Name);
        ObjectNode p = event.putObject("params");
        params.forEach((k, v) -> p.set(k, CODEC.mapper().valueToTree(v)));
        if (segmentName != null) {
            p.put("segment_event", segmentName);
        }
        String subject = Identifiers.sha256Hex(userId != null ? userId : anonymousId);
        return new Tracked(HITS, subject, CloudEvent.of(id(sourceName, messageId), source(sourceName),
                EventTypes.ANALYTICS_HIT, time.toString(), subject, EventData.hit(hit)));
    }

    /** An {@code identify} with an e-mail: the contact event. */
    public static Tracked contact(String sourceName, String messageId, String email, String firstName, String lastName,
                                  String phone) {
        String key = ContactKey.of(email);
        Contact contact = new Contact(email, firstName, lastName, phone, null, null, null, null);
        return new Tracked(SUBSCRIPTIONS, key, CloudEvent.of(id(sourceName, messageId), source(sourceName),
                EventTypes.CONTACT_PROFILE_UPDATED, Instant.now().toString(), key, EventData.subscription(contact,
                new Subscription("segment", sourceName, null, null, null, null))));
    }

    /** An {@code identify}'s identity event (traits without e-mail and phone). */
    public static Tracked identified(String sourceName, String messageId, String userId, String anonymousId,
                                     Map<String, Object> traits) {
        Identity identity = new Identity(userId, anonymousId, null, traits);
        return new Tracked(HITS, identity.key(), CloudEvent.of(id(sourceName, messageId), source(sourceName),
                EventTypes.IDENTITY_IDENTIFIED, Instant.now().toString(), identity.key(), EventData.identity(identity)));
    }

    /** An {@code alias}. */
    public static Tracked aliased(String sourceName, String messageId, String userId, String previousId) {
        Identity identity = new Identity(userId, null, previousId, null);
        return new Tracked(HITS, identity.key(), CloudEvent.of(id(sourceName, messageId), source(sourceName),
                EventTypes.IDENTITY_ALIASED, Instant.now().toString(), identity.key(), EventData.identity(identity)));
    }

    /** A {@code track "Order Completed"}: a purchase keyed by its order, platform segment. */
    public static Tracked purchase(String sourceName, String messageId, String orderId, BigDecimal value, String email,
                                   String userId, String anonymousId) {
        Conversion conversion = new Conversion("segment", orderId, value, "USD", null, null, null,
                List.of(new Conversion.Item("sku-1", "Trail shoes", value, 1)), null, null, orderId, null, null, null);
        return new Tracked(PURCHASES, Conversion.orderKey(orderId), CloudEvent.of(id(sourceName, messageId),
                source(sourceName), EventTypes.PURCHASE_RECEIVED, Instant.now().toString(), Conversion.orderKey(orderId),
                EventData.purchaseReceived(new CustomerRef(email, null, userId, anonymousId), conversion)));
    }

    /** Writes the events on their topics, as the tracking API would, validated by the codec. */
    public static void publish(String bootstrapServers, Tracked... events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Tracked t : events) {
                producer.send(new ProducerRecord<>(t.topic(), t.key(), CODEC.toJson(t.event()))).get();
            }
        }
    }
}
