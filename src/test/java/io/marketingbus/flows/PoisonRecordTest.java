package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison of issue 11: a canonical event whose {@code time} is the year 2400, put straight on the flow topic
 * (ingress refuses such timestamps, a producer outside the bus need not). Its delivery's bookkeeping threw
 * (the latency timer overflowed), the batch was never committed and HubSpot got it twice a second for ever. Now
 * the batch commits: the events around it are delivered once, and the poison is accounted for once (dead-lettered
 * with the bookkeeping step that failed, or, if no bookkeeping reads its time any more, simply delivered).
 */
class PoisonRecordTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String TOPIC = "marketing.subscriptions";
    static final String GROUP = "marketing-bus.marketing.subscriptions.hubspot";

    @TempDir
    Path dataDir;

    @Test
    void anEventFromTheYear2400NeitherStallsNorRepeatsItsBatch() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.of(
                "hubspot.access-token", "pat", "hubspot.client-secret", "unused", "hubspot.requests-per-second", "100",
                // events wait on the topic until the poison is among them
                "hubspot.subscriptions.enabled", "false"), hubspot)) {
            for (String who : List.of("ana", "ben")) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                        .replace("lucia.martin%40", who + "%40")).statusCode()).isEqualTo(200);
            }
            ConsumerRecord<String, byte[]> accepted = Topics.readAll(bus.bootstrapServers(), TOPIC).get(0);
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode poison = (ObjectNode) mapper.readTree(accepted.value());
            poison.put("id", "mc-poison-2400").put("time", "2400-01-01T00:00:00Z");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                    "value.serializer", ByteArraySerializer.class.getName()))) {
                producer.send(new ProducerRecord<>(TOPIC, accepted.key(), mapper.writeValueAsBytes(poison))).get();
            }
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                    .replace("lucia.martin%40", "cleo%40")).statusCode()).isEqualTo(200);

            bus.context().getRouteController().startRoute("deliver-subscriptions-to-hubspot");

            await().atMost(Duration.ofSeconds(60)).until(() -> lag(bus.bootstrapServers()) == 0);
            List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(bus.bootstrapServers(), TOPIC + ".hubspot.dlq");
            assertThat(dead).hasSizeLessThanOrEqualTo(1);
            for (ConsumerRecord<String, byte[]> letter : dead) {
                assertThat(mapper.readTree(letter.value()).get("id").asText()).isEqualTo("mc-poison-2400");
                assertThat(Topics.header(letter, "bus-dlq-reason")).contains("bookkeeping failed at the")
                        .contains("ArithmeticException");
            }
            String copied = poison.at("/data/contact/email").asText();
            assertThat(upsertedEmails(hubspot, mapper)).as("each event applied once (the poison is a copy of one)")
                    .containsExactlyInAnyOrder("ana@example.com", "ben@example.com", "cleo@example.com", copied);
        } finally {
            hubspot.stop();
        }
    }

    /** The delivery consumer's lag over the flow topic: 0 once every batch is committed. */
    static long lag(String bootstrap) throws Exception {
        return io.marketingbus.support.Topics.lag(bootstrap, GROUP, TOPIC);
    }

    static List<String> upsertedEmails(WireMockServer hubspot, ObjectMapper mapper) {
        return hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT))).stream().flatMap(call -> {
            try {
                return java.util.stream.StreamSupport.stream(mapper.readTree(call.getBodyAsString()).get("inputs")
                        .spliterator(), false).map(input -> input.get("id").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
