package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.Opportunity;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.Opportunities;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack notifications end to end (docs/platforms/slack.md): events on the flow topics, through camel-slack, to the
 * built-in sandbox or a strict WireMock fake of {@code POST /api/chat.postMessage}.
 */
class SlackNotificationsTest {

    static final String TOKEN = "xoxb-test-0123456789";
    static final String CHANNEL = "C0123456789";
    static final String DLQ = "marketing.opportunities.slack.dlq";
    static final EventCodec CODEC = new EventCodec(new EventSchemas());

    @TempDir
    Path dataDir;

    static Map<String, String> opportunitiesToSlack() {
        return Map.of("slack.opportunities.enabled", "true", "slack.opportunities.min-amount", "1000",
                "slack.channel", CHANNEL, "slack.bot-token", TOKEN,
                "slack.deal-link", "https://app.hubspot.com/contacts/62515/record/0-3/{deal}",
                "facebook.opportunities.enabled", "false", "google-ads.opportunities.enabled", "false");
    }

    @Test
    void aHighValueDealIsPostedOnceAsTheSampleInTheSandbox() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, opportunitiesToSlack())) {
            CloudEvent lucia = Opportunities.lucia("created", 1767225600000L, "true");
            // the enricher publishes one event per contact of a deal: the second contact's is the same deal state
            CloudEvent secondContact = new CloudEvent(lucia.specversion(), lucia.id() + "-2", lucia.source(), lucia.type(),
                    lucia.time(), lucia.subject(), lucia.datacontenttype(), lucia.data());
            publish(bus, lucia, secondContact, deal("Small renewal", "999"));
            MeterRegistry meters = bus.context().getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> settled(meters) == 3);
            // three more deals at once: the connector posts them about 1 per second in the channel
            publish(bus, deal("Big deal A", "20000"), deal("Big deal B", "30000"), deal("Big deal C", "40000"));
            await().atMost(Duration.ofSeconds(30)).until(() -> settled(meters) == 6);
            JsonNode messages = new ObjectMapper().readTree(bus.get("/sandbox/slack/messages").body());
            assertThat(messages).hasSize(4);
            int throttled = new ObjectMapper().readTree(bus.get("/sandbox/slack/throttled").body()).get("count").asInt();
            System.out.printf("slack sandbox: 6 events, 4 messages posted, 2 skipped, %d answered 429%n", throttled);
            // without the per-channel pacing, two of the three meet a 429 (the sandbox allows 1 per second): the
            // second right after the first, the third right after the second's retry; a throttle at the route's
            // entry left one 429 (a cold first call arrives late, the next one early)
            assertThat(messages.get(1).get("text").asText()).startsWith("New HubSpot deal: Big deal A");
            assertThat(throttled).isZero();
            JsonNode sample = Samples.json("slack-chat-postmessage-request.json");
            assertThat(messages.get(0).get("channel")).isEqualTo(sample.get("channel"));
            assertThat(messages.get(0).get("text")).isEqualTo(sample.get("text"));
            assertThat(messages.get(0).get("blocks")).isEqualTo(sample.get("blocks"));
            assertThat(BusMeters.deliveryEvents(meters, "slack", "skipped").count()).as("the repeat and the small deal")
                    .isEqualTo(2.0);
            assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).isEmpty();
        }
    }

    @Test
    void okFalseIsDeadLetteredWithSlacksErrorAnd429WaitsForRetryAfter() throws Exception {
        FakePlatform slack = FakePlatform.started("slack", "");
        JsonNode sample = Samples.json("slack-chat-postmessage-request.json");
        String path = "/api/chat.postMessage";
        // the sample's deal: first "too many requests", then posted
        slack.stubFor(post(urlEqualTo(path)).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withFormParam("channel", equalTo(CHANNEL)).withFormParam("text", equalTo(sample.get("text").asText()))
                .withFormParam("blocks", equalToJson(sample.get("blocks").toString()))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                .willSetStateTo("paced"));
        StubMapping posted = slack.stubFor(post(urlEqualTo(path)).inScenario("rate").whenScenarioStateIs("paced")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withFormParam("channel", equalTo(CHANNEL)).withFormParam("text", equalTo(sample.get("text").asText()))
                .withFormParam("blocks", equalToJson(sample.get("blocks").toString()))
                .willReturn(Fakes.json(Samples.text("slack-chat-postmessage-response.json"))));
        // another deal: the bot was removed from the channel meanwhile
        slack.stubFor(post(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withFormParam("text", equalTo("New HubSpot deal: Refused deal (EUR 5,000)"))
                .willReturn(Fakes.json("{\"ok\":false,\"error\":\"not_in_channel\"}")));
        // the Slack SDK under camel-slack asks auth.test once per token (its metrics): answered, not counted
        slack.stubFor(post(urlEqualTo("/api/auth.test")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(Fakes.json("{\"ok\":true,\"team_id\":\"T0123456789\",\"user_id\":\"U0123456789\"}")));
        try (RunningBus bus = RunningBus.startWith(dataDir, opportunitiesToSlack(), slack)) {
            publish(bus, Opportunities.lucia("created", 1767225600000L, "true"), deal("Refused deal", "5000"));

            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> slack.getAllServeEvents().stream()
                    .anyMatch(e -> e.getStubMapping() != null && posted.getId().equals(e.getStubMapping().getId())));
            ConsumerRecord<String, byte[]> dead = Topics.readAll(bus.bootstrapServers(), DLQ).get(0);
            assertThat(Topics.header(dead, "bus-dlq-reason")).contains("Slack refused the message: not_in_channel");
            assertThat(new ObjectMapper().readTree(dead.value()).at("/data/opportunity/name").asText()).isEqualTo("Refused deal");
            List<ServeEvent> calls = slack.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().equals(path)).toList();
            List<ServeEvent> sampleCalls = calls.stream()
                    .filter(e -> e.getRequest().getBodyAsString().contains("Premium")).toList();
            assertThat(sampleCalls).extracting(e -> e.getResponse().getStatus()).containsExactlyInAnyOrder(429, 200);
            long rateLimitedAt = sampleCalls.stream().filter(e -> e.getResponse().getStatus() == 429).findFirst()
                    .orElseThrow().getRequest().getLoggedDate().getTime();
            long postedAt = sampleCalls.stream().filter(e -> e.getResponse().getStatus() == 200).findFirst()
                    .orElseThrow().getRequest().getLoggedDate().getTime();
            assertThat(postedAt - rateLimitedAt).as("Retry-After: 2 honoured").isGreaterThanOrEqualTo(1900);
            slack.verify(1, postRequestedFor(urlEqualTo(path)).withFormParam("text",
                    equalTo("New HubSpot deal: Refused deal (EUR 5,000)")));
            assertThat(calls).hasSize(3);
            System.out.printf("slack: %d calls (1 x 429, 1 x ok:false not_in_channel, 1 posted), 1 dead letter%n",
                    calls.size());
        } finally {
            slack.stop();
        }
    }

    /** An opportunity of another deal of the sample's portal, worth {@code amount} EUR. */
    static CloudEvent deal(String name, String amount) {
        CloudEvent lucia = Opportunities.lucia("created", 1767225600000L, "true");
        Opportunity deal = new Opportunity("hubspot", "1820475" + Math.abs(name.hashCode() % 10000), name,
                new java.math.BigDecimal(amount), "EUR", "appointmentscheduled", "default");
        return new CloudEvent(lucia.specversion(), lucia.id() + "-" + name.hashCode(), lucia.source(), lucia.type(),
                lucia.time(), lucia.subject(), lucia.datacontenttype(), EventData.opportunity(lucia.data().contact(), deal));
    }

    static void publish(RunningBus bus, CloudEvent... events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            for (CloudEvent event : events) {
                producer.send(new ProducerRecord<>("marketing.opportunities", event.subject(), CODEC.toJson(event))).get();
            }
        }
    }

    static double settled(MeterRegistry meters) {
        return BusMeters.DELIVERY_OUTCOMES.stream()
                .mapToDouble(o -> BusMeters.deliveryEvents(meters, "slack", o).count()).sum();
    }
}
