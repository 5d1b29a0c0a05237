package io.marketingbus.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus's topics read as a CloudEvents SDK consumer reads them (Kafka protocol binding, structured mode, JSON
 * format): every record is a distinct event by (source, id), its attributes are present and well-typed, and money
 * is a plain decimal.
 */
class CloudEventsOnKafkaTest {

    static final List<String> TOPICS = List.of("marketing.analytics-hits", "marketing.purchases", "marketing.conversions");
    /** RFC 3339 date-time, as the CloudEvents spec requires for {@code time}. */
    static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    /** A JSON number written with an exponent, e.g. 1E+2. */
    static final Pattern EXPONENT = Pattern.compile("[:\\[,]\\s*-?\\d+(\\.\\d+)?[eE][+-]?\\d+");

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @Test
    void onePurchaseThroughTheRelayMakesDistinctWellFormedCloudEventsWithPlainDecimals() throws Exception {
        // the README's flow 3: Lucia is HubSpot contact 51, she buys for exactly 100 EUR
        assertThat(bus.post("/sandbox/hubspot/crm/v3/objects/contacts/batch/upsert", "application/json",
                "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"lucia.martin@example.com\",\"properties\":{"
                        + "\"email\":\"lucia.martin@example.com\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\"}}]}",
                Map.of("Authorization", "Bearer sandbox-hubspot")).statusCode()).isLessThan(300);
        assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                "{\"client_id\":\"1234567890.1767599000\",\"user_id\":\"hs-contact-51\",\"user_data\":{\"email_address\":"
                        + "\"lucia.martin@example.com\"},\"events\":[{\"name\":\"purchase\",\"params\":{\"transaction_id\":"
                        + "\"T-100234\",\"value\":100,\"tax\":100.50,\"currency\":\"EUR\",\"items\":[{\"item_id\":\"SKU-123\","
                        + "\"item_name\":\"Premium plan\",\"price\":1E+2,\"quantity\":1}]}}]}").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Topics.readAll(bus.bootstrapServers(), "marketing.conversions").isEmpty());

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (String topic : TOPICS) {
            records.addAll(Topics.readAll(bus.bootstrapServers(), topic));
        }
        assertThat(records).hasSize(3);
        Set<String> sourceAndIds = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String json = Topics.value(record);
            // structured mode: the content type says the value is a whole CloudEvent in JSON
            assertThat(Topics.header(record, "content-type")).startsWith("application/cloudevents+json");
            JsonNode event = mapper.readTree(json);
            assertThat(event.path("specversion").asText()).isEqualTo("1.0");
            for (String required : List.of("id", "source", "type")) {
                assertThat(event.path(required).isTextual()).as("%s of %s", required, record.topic()).isTrue();
                assertThat(event.path(required).asText()).as("%s of %s", required, record.topic()).isNotEmpty();
            }
            assertThat(URI.create(event.get("source").asText()).isAbsolute()).isFalse();
            assertThat(event.path("time").asText()).matches(RFC_3339);
            OffsetDateTime.parse(event.get("time").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(event.path("subject").isTextual()).isTrue();
            assertThat(event.path("data").isObject()).isTrue();
            event.fieldNames().forEachRemaining(name -> assertThat(name).matches("[a-z0-9]{1,20}"));
            assertThat(EXPONENT.matcher(json).find()).as("a number with an exponent in %s", json).isFalse();
            assertThat(sourceAndIds.add(event.get("source").asText() + " " + event.get("id").asText()))
                    .as("(source, id) of the %s on %s is unique", event.get("type").asText(), record.topic()).isTrue();
        }

        JsonNode purchase = mapper.readTree(Topics.readAll(bus.bootstrapServers(), "marketing.purchases").get(0).value());
        ConsumerRecord<String, byte[]> conversionRecord = Topics.readAll(bus.bootstrapServers(), "marketing.conversions").get(0);
        JsonNode conversion = mapper.readTree(conversionRecord.value());
        // the same id (idempotency, GA4 reconciliation), another source: the resolver's
        assertThat(purchase.get("id").asText()).isEqualTo("ga4-T-100234");
        assertThat(conversion.get("id").asText()).isEqualTo("ga4-T-100234");
        assertThat(conversion.get("source").asText()).isEqualTo(EventSources.PURCHASE_RESOLVER)
                .isNotEqualTo(purchase.get("source").asText());
        String conversionJson = Topics.value(conversionRecord);
        assertThat(conversionJson).contains("\"value\":100,").contains("\"price\":100.0").contains("\"tax\":100.5");
        // the conversion is measured from the relay hit that brought its purchase
        assertThat(Topics.header(conversionRecord, "bus-accepted-at"))
                .isEqualTo(Topics.header(Topics.readAll(bus.bootstrapServers(), "marketing.purchases").get(0), "bus-accepted-at"))
                .isNotNull();
    }
}
