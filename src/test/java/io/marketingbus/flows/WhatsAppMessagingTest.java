package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
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
 * WhatsApp end to end against the built-in sandbox: a purchase sends the loyalty tier's template only once the
 * number opted in (a signed START), STOP and a failed status with 131026 stop later sends, an unsigned webhook puts
 * nothing on Kafka.
 */
class WhatsAppMessagingTest {

    static final String APP_SECRET = "meta_app_secret_5a4b3c";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void templatesGoOnlyToOptedInNumbersUntilStopOrAHoldingError() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of(
                "whatsapp.conversions.enabled", "true",
                "whatsapp.webhook.enabled", "true",
                "whatsapp.app-secret", APP_SECRET,
                "whatsapp.webhook-verify-token", "verify-me",
                "whatsapp.templates.loyalty.first", "loyalty_welcome",
                "whatsapp.templates.loyalty.first.code", "WELCOME10",
                "loyalty.enabled", "false"))) {
            // handshake
            assertThat(bus.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
                    .body()).isEqualTo("1158201444");
            assertThat(bus.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
                    .statusCode()).isEqualTo(403);

            // no opt-in yet: not sent, the reason recorded
            purchase(bus, "p1");
            await().atMost(Duration.ofSeconds(30)).until(() -> records(bus).contains("no WhatsApp opt-in recorded"));
            assertThat(messages(bus)).isEmpty();

            // a wrong signature: 401, nothing on Kafka
            String start = inbound("wamid.START1", "START");
            assertThat(bus.post("/webhooks/whatsapp", "application/json", start,
                    Map.of("X-Hub-Signature-256", sign("not-the-secret", start))).statusCode()).isEqualTo(401);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.messaging")).isEmpty();

            // START opts in; the next purchase sends the template, exactly the sample's body
            assertThat(signedPost(bus, start).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(bus).contains("\"optedIn\":true"));
            purchase(bus, "p2");
            await().atMost(Duration.ofSeconds(30)).until(() -> messages(bus).size() == 1);
            assertThat(messages(bus).get(0).get("request"))
                    .isEqualTo(Samples.json("whatsapp-template-message-request.json"));

            // the vendor's status sample, signed as the vector says: a marketing.message.status event
            assertThat(bus.post("/webhooks/whatsapp", "application/json", Samples.text("whatsapp-webhook-status.json"),
                    Map.of("X-Hub-Signature-256", Samples.vectors().at("/signatures/meta_whatsapp-webhook-status/value").asText()))
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), "marketing.messaging")
                    .stream().anyMatch(r -> Topics.value(r).contains("\"status\":\"delivered\"")));

            // failed with 131026: recorded on the number, later purchases skipped, nothing resent
            assertThat(signedPost(bus, failed("wamid.SANDBOX000000000001", 131026)).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(bus).contains("\"heldBy\":131026"));
            purchase(bus, "p3");
            await().atMost(Duration.ofSeconds(30)).until(() -> records(bus).contains("WhatsApp reported error 131026"));
            assertThat(messages(bus)).hasSize(1);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.conversions.whatsapp.dlq")).isEmpty();
        }
    }

    @Test
    void stopOptsTheNumberOutAndLaterPurchasesAreSkipped() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of(
                "whatsapp.conversions.enabled", "true",
                "whatsapp.webhook.enabled", "true",
                "whatsapp.app-secret", APP_SECRET,
                "whatsapp.webhook-verify-token", "verify-me",
                "whatsapp.templates.loyalty.first", "loyalty_welcome",
                "loyalty.enabled", "false"))) {
            assertThat(signedPost(bus, inbound("wamid.START1", "START")).statusCode()).isEqualTo(200);
            assertThat(signedPost(bus, inbound("wamid.STOP1", " stop ")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(bus).contains("\"optedOut\":true"));
            List<String> types = Topics.readAll(bus.bootstrapServers(), "marketing.messaging").stream()
                    .map(r -> Topics.value(r).replaceAll(".*\"type\":\"([a-z.-]+)\".*", "$1")).toList();
            assertThat(types).containsExactly(EventTypes.CONTACT_MESSAGING_OPTED_IN, EventTypes.CONTACT_MESSAGING_OPTED_OUT);
            purchase(bus, "p1");
            await().atMost(Duration.ofSeconds(30)).until(() -> records(bus).contains("opted out of WhatsApp"));
            assertThat(messages(bus)).isEmpty();
        }
    }

    @Test
    void aRecipientOutsideTheTestNumbersAllowedListIsDeadLetteredWithGraphsReasonAfterOneCall() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of(
                "whatsapp.conversions.enabled", "true",
                "whatsapp.webhook.enabled", "true",
                "whatsapp.app-secret", APP_SECRET,
                "whatsapp.webhook-verify-token", "verify-me",
                "whatsapp.templates.loyalty.first", "loyalty_welcome",
                "sandbox.whatsapp.allowed-recipients", "34699999999",
                "loyalty.enabled", "false"))) {
            assertThat(signedPost(bus, inbound("wamid.START1", "START")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(bus).contains("\"optedIn\":true"));
            purchase(bus, "p1");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !Topics.readAll(bus.bootstrapServers(), "marketing.conversions.whatsapp.dlq").isEmpty());
            var dead = Topics.readAll(bus.bootstrapServers(), "marketing.conversions.whatsapp.dlq");
            assertThat(dead).hasSize(1);
            assertThat(Topics.header(dead.get(0), "bus-dlq-reason")).contains("131030").contains("not in allowed list");
            JsonNode refused = MAPPER.readTree(bus.get("/sandbox/whatsapp/refused").body());
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0).get("code").asInt()).isEqualTo(131030);
            assertThat(messages(bus)).isEmpty();
        }
    }

    static void purchase(RunningBus bus, String id) throws Exception {
        Contact lucia = Contact.of("lucia.martin@example.com", "Lucia", "Martin", "+34600112233", null);
        Conversion conversion = new Conversion("ga4", "T-" + id, new BigDecimal("49.90"), "EUR", null, null, null,
                null, 1, new BigDecimal("49.90"));
        CloudEvent event = CloudEvent.of("ga4-" + id, "/ga4/properties/1", EventTypes.CONVERSION_PURCHASE,
                Instant.now().toString(), EventData.conversion(lucia, conversion));
        byte[] json = new EventCodec(new EventSchemas()).toJson(event);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("marketing.conversions", event.subject(), json)).get();
        }
    }

    static java.net.http.HttpResponse<String> signedPost(RunningBus bus, String body) throws Exception {
        return bus.post("/webhooks/whatsapp", "application/json", body, Map.of("X-Hub-Signature-256", sign(APP_SECRET, body)));
    }

    static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String inbound(String wamid, String text) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"Lucia\"},"
                + "\"wa_id\":\"34600112233\"}],\"messages\":[{\"from\":\"34600112233\",\"id\":\"" + wamid + "\",\"timestamp\":\""
                + Instant.now().getEpochSecond() + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]}}]}]}";
    }

    static String failed(String wamid, int code) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":"
                + "\"failed\",\"timestamp\":\"" + Instant.now().getEpochSecond() + "\",\"recipient_id\":\"34600112233\","
                + "\"errors\":[{\"code\":" + code + ",\"title\":\"Message undeliverable.\"}]}]}}]}]}";
    }

    static List<JsonNode> messages(RunningBus bus) throws Exception {
        JsonNode list = MAPPER.readTree(bus.get("/sandbox/whatsapp/messages").body());
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).toList();
    }

    static String records(RunningBus bus) {
        StringBuilder all = new StringBuilder();
        Topics.readAll(bus.bootstrapServers(), "marketing.delivery-records").forEach(r -> all.append(Topics.value(r)));
        return all.toString();
    }

    static String state(RunningBus bus) {
        StringBuilder all = new StringBuilder();
        Topics.readAll(bus.bootstrapServers(), "marketing.state").forEach(r -> all.append(Topics.value(r)));
        return all.toString();
    }
}
