package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Product;
import io.marketingbus.platform.facebook.FacebookPurchaseTranslatorTest;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta end to end against the built-in sandbox (docs/platforms/facebook.md §10, §11): product events waiting on
 * marketing.products reach the sandbox catalog in items_batch calls, the one item Meta refuses (a bad link) alone
 * dead-lettered with Meta's message; purchases on marketing.conversions reach the Conversions API only with consent
 * and never for a test order, and one older than seven days is dead-lettered with that reason.
 */
class MetaCatalogAndPurchasesTest {

    static final String STORE = "shop.example.com";
    static final EventCodec CODEC = new EventCodec(new EventSchemas());

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of(
                "facebook.test-event-code", "TEST12345",
                // the events wait on their topics until a test starts the delivery, so they share batches
                "facebook.catalog.enabled", "false", "facebook.purchases.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static Product shirt(String sku, String link) {
        return new Product("shopify", STORE, "shop-" + sku, "8123", "Linen shirt " + sku, "Relaxed linen shirt.", link,
                "https://shop.example.com/images/" + sku + ".jpg", "Example Linen", null, new BigDecimal("12.99"), "EUR",
                Product.IN_STOCK, 5);
    }

    static Product stockOnly(String sku, String availability, int inventory) {
        return new Product("shopify", STORE, "shop-" + sku, null, null, null, null, null, null, null, null, null,
                availability, inventory);
    }

    static CloudEvent product(String id, String type, Product product) {
        return CloudEvent.of(id, "/shopify/shops/" + STORE, type, Instant.now().toString(), product.key(),
                EventData.product(product));
    }

    void publish(String topic, List<CloudEvent> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            for (CloudEvent event : events) {
                producer.send(new ProducerRecord<>(topic, event.subject(), CODEC.toJson(event))).get();
            }
        }
    }

    JsonNode sandbox(String collection) throws Exception {
        return mapper.readTree(bus.get("/sandbox/facebook/" + collection).body());
    }

    @Test
    void productsReachTheCatalogAndOnlyTheItemMetaRefusesIsDeadLettered() throws Exception {
        publish("marketing.products", List.of(
                product("p1", EventTypes.PRODUCT_UPSERTED, shirt("SKU-1", "https://shop.example.com/p/1")),
                product("p2", EventTypes.PRODUCT_UPSERTED, shirt("SKU-2", "not-a-url")),
                product("p3", EventTypes.PRODUCT_UPSERTED, shirt("SKU-3", "https://shop.example.com/p/3")),
                product("p4", EventTypes.PRODUCT_UPSERTED, stockOnly("SKU-1", Product.OUT_OF_STOCK, 0)),
                product("p5", EventTypes.PRODUCT_DELETED, stockOnly("SKU-3", null, 0))));

        bus.context().getRouteController().startRoute("deliver-products-to-facebook-catalog");

        String dlq = "marketing.products.facebook-catalog.dlq";
        await().atMost(Duration.ofSeconds(60)).until(() -> Topics.deliveredIds(bus.bootstrapServers(),
                "marketing.products.facebook-catalog.delivered").size() == 4
                && Topics.readAll(bus.bootstrapServers(), dlq).size() == 1);
        JsonNode catalog = sandbox("catalog");
        assertThat(catalog.size()).as(catalog.toString()).isEqualTo(1);
        JsonNode shirt = catalog.path("shop-SKU-1");
        assertThat(shirt.path("availability").asText()).isEqualTo("out of stock");
        assertThat(shirt.path("inventory").asInt()).isEqualTo(0);
        assertThat(shirt.path("title").asText()).isEqualTo("Linen shirt SKU-1");
        assertThat(shirt.path("price").asText()).isEqualTo("12.99 EUR");

        List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(bus.bootstrapServers(), dlq);
        assertThat(dead).hasSize(1);
        assertThat(mapper.readTree(dead.get(0).value()).path("id").asText()).isEqualTo("p2");
        assertThat(Topics.header(dead.get(0), "bus-dlq-reason")).contains("shop-SKU-2")
                .contains("Invalid URL for field link");
        // the refused item did not make Meta's call be split and sent again: each item request went out once
        JsonNode batches = sandbox("catalog-batches");
        int refused = 0;
        for (JsonNode batch : batches) {
            refused += batch.path("errors_total_count").asInt();
        }
        assertThat(refused).isEqualTo(1);
        System.out.println("catalog: " + batches.size() + " items_batch call(s) for 5 product events");
    }

    @Test
    void onlyConsentedRealOrdersOfTheLastSevenDaysReachTheConversionsApi() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        CloudEvent consented = FacebookPurchaseTranslatorTest.storePurchase(now, true, false, true);
        CloudEvent testOrder = withId(FacebookPurchaseTranslatorTest.storePurchase(now, true, true, true), "test-order");
        CloudEvent noConsent = withId(FacebookPurchaseTranslatorTest.storePurchase(now, false, null, true), "no-consent");
        CloudEvent old = withId(FacebookPurchaseTranslatorTest.storePurchase(now.minus(Duration.ofDays(8)), true, null,
                true), "eight-days-old");
        publish("marketing.conversions", List.of(consented, testOrder, noConsent, old));

        bus.context().getRouteController().startRoute("deliver-conversions-to-facebook");

        String dlq = "marketing.conversions.facebook.dlq";
        await().atMost(Duration.ofSeconds(60)).until(() -> Topics.readAll(bus.bootstrapServers(), dlq).size() == 1
                && sandbox("events").size() >= 1);
        List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(bus.bootstrapServers(), dlq);
        assertThat(mapper.readTree(dead.get(0).value()).path("id").asText()).isEqualTo("eight-days-old");
        assertThat(Topics.header(dead.get(0), "bus-dlq-reason")).contains("older than the 7 days");

        JsonNode events = sandbox("events");
        assertThat(events).hasSize(1);
        ObjectNode sent = (ObjectNode) events.get(0).deepCopy();
        assertThat(sent.remove("event_time").asLong()).isEqualTo(now.getEpochSecond());
        ObjectNode expected = (ObjectNode) Samples.json("facebook-capi-purchase-request.json").at("/data/0").deepCopy();
        expected.remove("event_time");
        assertThat(mapper.readTree(sent.toString())).isEqualTo(expected);
    }

    static CloudEvent withId(CloudEvent event, String id) {
        return new CloudEvent(event.specversion(), id, event.source(), event.type(), event.time(), event.subject(),
                event.datacontenttype(), event.data());
    }
}
