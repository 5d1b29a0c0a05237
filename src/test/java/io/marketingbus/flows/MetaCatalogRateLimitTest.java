package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Product;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta's catalog batch rate limit (Graph error 80014, answered as a 400) pauses the catalog delivery as a 429 does:
 * the item is sent again once the pause is over and delivered, never dead-lettered. The fake is strict: path, bearer
 * token and the sample's body, the status check with the handle Meta gave.
 */
class MetaCatalogRateLimitTest {

    static final String CATALOG = "1357924680135792";
    static final String ITEMS_BATCH = "/v25.0/" + CATALOG + "/items_batch";
    static final String TOKEN = "EAAGm0PX4ZCpsBAFakeTokenForTests";

    @TempDir
    Path dataDir;

    @Test
    void aCatalogRateLimitPausesAndTheItemIsDeliveredAfterwards() throws Exception {
        FakePlatform meta = FakePlatform.facebook();
        meta.stubFor(post(urlEqualTo(ITEMS_BATCH)).inScenario("catalog rate limit").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("limited once")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"(#80014) There have been too many calls to this catalog.\","
                                + "\"type\":\"OAuthException\",\"code\":80014,\"fbtrace_id\":\"AbC\"}}")));
        meta.stubFor(post(urlEqualTo(ITEMS_BATCH)).inScenario("catalog rate limit").whenScenarioStateIs("limited once")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson(Samples.text("facebook-catalog-items-batch-request.json")))
                .willReturn(Fakes.json(Samples.text("facebook-catalog-items-batch-response.json"))));
        meta.stubFor(get(urlPathEqualTo("/v25.0/" + CATALOG + "/check_batch_request_status"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("handle", equalTo("AcxUi9a3kFrYyPhXk0_DqcL3Xe2jb8Jz"))
                .willReturn(Fakes.json("{\"data\":[{\"handle\":\"AcxUi9a3kFrYyPhXk0_DqcL3Xe2jb8Jz\",\"status\":\"finished\","
                        + "\"errors_total_count\":0,\"errors\":[],\"warnings_total_count\":0,\"warnings\":[]}]}")));
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.of("facebook.access-token", TOKEN,
                "facebook.audience-id", "23851234567890123", "facebook.pixel-id", "1234567890",
                "facebook.catalog-id", CATALOG, "facebook.catalog.enabled", "true"), meta)) {
            Product shirt = new Product("shopify", "shop.example.com", "shop-example-com-SKU-123", "8123", "Linen shirt",
                    "Relaxed linen shirt, stone washed.", "https://shop.example.com/products/linen-shirt?variant=123",
                    "https://shop.example.com/images/linen-shirt.jpg", "Example Linen", null, new BigDecimal("12.99"),
                    "EUR", Product.IN_STOCK, 42);
            CloudEvent event = CloudEvent.of("shopify-product-123", "/shopify/shops/shop.example.com",
                    EventTypes.PRODUCT_UPSERTED, Instant.now().toString(), shirt.key(), EventData.product(shirt));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                    "value.serializer", ByteArraySerializer.class.getName()))) {
                producer.send(new ProducerRecord<>("marketing.products", event.subject(),
                        new EventCodec(new EventSchemas()).toJson(event))).get();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> Topics.deliveredIds(bus.bootstrapServers(),
                    "marketing.products.facebook-catalog.delivered").size() == 1);

            assertThat(meta.findAll(postRequestedFor(urlEqualTo(ITEMS_BATCH)))).hasSize(2);
            assertThat(meta.findAll(getRequestedFor(urlPathEqualTo("/v25.0/" + CATALOG + "/check_batch_request_status"))))
                    .hasSize(1);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.products.facebook-catalog.dlq")).isEmpty();
        } finally {
            meta.stop();
        }
    }
}
