package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.api.hooks.Hook;
import io.marketingbus.api.hooks.HookSubscriptions;
import io.marketingbus.support.CapturedLog;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zapier and Make hooks out, against strict WireMock fakes (exact paths, JSON content type): configured hooks with
 * filters, a failing hook beside a working one, a 429 then 200, the loop guard; and the REST-hook API: subscribe,
 * list, deliver, reload from the compacted topic, delete, 410 unsubscribes.
 */
class ZapierMakeHooksTest {

    static final String CONTACTS = "/hooks/catch/123456/contacts/";
    static final String ORDERS = "/hooks/catch/123456/orders/";
    static final String BROKEN = "/hooks/catch/123456/broken/";
    static final String MAKE = "/abcdefghijklmnopqrstuvwxyz123456";
    static final String STANDARD = "/hooks/standard/123456/subscribed/";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;
    FakePlatform zapier;
    FakePlatform make;

    @BeforeEach
    void fakes() {
        zapier = FakePlatform.started("zapier", "");
        make = FakePlatform.started("make", "");
        String answer = Samples.text("zapier-catch-hook-response.json");
        zapier.stubFor(post(urlEqualTo(CONTACTS)).withHeader("Content-Type", equalTo("application/json"))
                .inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("paced"));
        zapier.stubFor(post(urlEqualTo(CONTACTS)).withHeader("Content-Type", equalTo("application/json"))
                .inScenario("rate").whenScenarioStateIs("paced")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer)));
        zapier.stubFor(post(urlEqualTo(ORDERS)).withHeader("Content-Type", equalTo("application/json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer)));
        zapier.stubFor(post(urlEqualTo(BROKEN)).willReturn(aResponse().withStatus(400).withBody("bad hook")));
        zapier.stubFor(post(urlEqualTo(STANDARD)).withHeader("Content-Type", equalTo("application/json"))
                .inScenario("gone").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer))
                .willSetStateTo("off"));
        zapier.stubFor(post(urlEqualTo(STANDARD)).inScenario("gone").whenScenarioStateIs("off")
                .willReturn(aResponse().withStatus(410)));
        make.stubFor(post(urlEqualTo(MAKE)).withHeader("Content-Type", equalTo("application/json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("Accepted")));
    }

    @AfterEach
    void stop() {
        FakePlatform.stopAll(zapier, make);
    }

    private String url(FakePlatform fake, String path) {
        return "http://127.0.0.1:" + fake.port() + path;
    }

    @Test
    void configuredHooksGetFlatJsonOfTheTypesTheyTakeAndAFailingHookHarmsNoOther() throws Exception {
        try (CapturedLog log = new CapturedLog(); RunningBus bus = RunningBus.start(dataDir, Map.of(
                "zapier.enabled", "true",
                "make.enabled", "true",
                "zapier.hooks", "contacts|" + url(zapier, CONTACTS) + "|marketing.contact.*"
                        + ";orders|" + url(zapier, ORDERS) + "|marketing.conversion.*"
                        + ";broken|" + url(zapier, BROKEN) + "|marketing.contact.subscribed",
                "make.hooks", "crm|" + url(make, MAKE) + "|marketing.contact.subscribed|personal-data"))) {

            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);

            // 429 then 200: two calls, delivered once
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                    zapier.verify(2, postRequestedFor(urlEqualTo(CONTACTS))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> make.verify(1, postRequestedFor(urlEqualTo(MAKE))));
            // the broken hook's copy, and only it, is dead-lettered
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Topics.readAll(bus.bootstrapServers(), "marketing.zapier-hooks.zapier.dlq").size() == 1);
            String dead = Topics.value(Topics.readAll(bus.bootstrapServers(), "marketing.zapier-hooks.zapier.dlq").get(0));
            assertThat(MAPPER.readTree(dead).path("id").asText()).endsWith("@cfg-broken");
            // the hook's path is its credential: neither the dead letter's reason nor the log holds it
            String reason = Topics.header(Topics.readAll(bus.bootstrapServers(), "marketing.zapier-hooks.zapier.dlq").get(0),
                    "bus-dlq-reason");
            assertThat(reason).contains("400").doesNotContain("/broken");
            assertThat(log.text()).doesNotContain("123456/broken").doesNotContain("123456/contacts")
                    .doesNotContain("lucia.martin@example.com");

            JsonNode flat = MAPPER.readTree(zapier.findAll(postRequestedFor(urlEqualTo(CONTACTS))).get(1).getBodyAsString());
            assertThat(flat.path("event_type").asText()).isEqualTo("marketing.contact.subscribed");
            assertThat(flat.path("event_id").asText()).isNotEmpty().doesNotContain("@");
            assertThat(flat.path("source").asText()).startsWith("/mailchimp/");
            assertThat(flat.path("occurred_at").asText()).startsWith("2026-01-15T");
            assertThat(flat.path("contact_key").asText()).matches("[0-9a-f]{64}");
            assertThat(flat.path("contact").path("first_name").asText()).isEqualTo("Lucia");
            assertThat(flat.path("contact").path("last_name").asText()).isEqualTo("Martin");
            // personal data only where the hook's owner asked for it
            assertThat(flat.toString()).doesNotContain("lucia.martin@example.com").doesNotContain("600");
            JsonNode personal = MAPPER.readTree(make.findAll(postRequestedFor(urlEqualTo(MAKE))).get(0).getBodyAsString());
            assertThat(personal.path("contact").path("email").asText()).isEqualTo("lucia.martin@example.com");
            assertThat(personal.path("event_id").asText()).isEqualTo(flat.path("event_id").asText());

            // loop guard: the same contact coming back from Zapier goes to Make, not to Zapier
            JsonNode original = MAPPER.readTree(Topics.value(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions").get(0)));
            ObjectNode fromZapier = (ObjectNode) original.deepCopy();
            fromZapier.put("id", "zap-loop-1");
            fromZapier.put("source", "/zapier/crm-sync");
            produce(bus.bootstrapServers(), "marketing.subscriptions", original.path("subject").asText(), fromZapier.toString());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> make.verify(2, postRequestedFor(urlEqualTo(MAKE))));
            Thread.sleep(1500);
            zapier.verify(2, postRequestedFor(urlEqualTo(CONTACTS)));
            zapier.verify(1, postRequestedFor(urlEqualTo(BROKEN)));
            // filtered: the orders hook takes no contact event
            zapier.verify(0, postRequestedFor(urlEqualTo(ORDERS)));
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.make-hooks.make.dlq")).isEmpty();
        }
    }

    @Test
    void restHooksSubscribeDeliverReloadDeleteAndUnsubscribeOnGone() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("zapier.enabled", "true"))) {
            String body = "{\"target_url\":\"" + url(zapier, STANDARD) + "\",\"event\":\"marketing.contact.*\"}";
            assertThat(call(bus, "POST", "/v1/hooks", "wrong-key", body).statusCode()).isEqualTo(401);
            assertThat(call(bus, "POST", "/v1/hooks", "sandbox-hook-key",
                    "{\"target_url\":\"http://example.com/x\",\"event\":\"marketing.contact.*\"}").statusCode()).isEqualTo(400);
            assertThat(call(bus, "POST", "/v1/hooks", "sandbox-hook-key",
                    "{\"target_url\":\"" + url(zapier, STANDARD) + "\",\"event\":\"contact\"}").statusCode()).isEqualTo(400);

            HttpResponse<String> created = call(bus, "POST", "/v1/hooks", "sandbox-hook-key", body);
            assertThat(created.statusCode()).isEqualTo(201);
            String id = MAPPER.readTree(created.body()).path("id").asText();
            assertThat(id).startsWith("h-");
            HttpResponse<String> listed = call(bus, "GET", "/v1/hooks", "sandbox-hook-key", null);
            assertThat(MAPPER.readTree(listed.body()).findValuesAsText("id")).containsExactly(id);

            // the compacted topic holds it: an instance starting now (a restart, another instance) reads it back
            HookSubscriptions reloaded = new HookSubscriptions(bus.bootstrapServers());
            reloaded.start();
            try {
                assertThat(reloaded.all()).extracting(Hook::id).containsExactly(id);
                assertThat(reloaded.find(id).url()).isEqualTo(url(zapier, STANDARD));
            } finally {
                reloaded.stop();
            }

            // a second subscription, deleted: 204, then 404
            String other = MAPPER.readTree(call(bus, "POST", "/v1/hooks", "sandbox-hook-key",
                    "{\"target_url\":\"" + url(zapier, ORDERS) + "\",\"event\":[\"marketing.contact.subscribed\"]}").body())
                    .path("id").asText();
            assertThat(call(bus, "DELETE", "/v1/hooks/" + other, "wrong-key", null).statusCode()).isEqualTo(401);
            assertThat(call(bus, "DELETE", "/v1/hooks/" + other, "sandbox-hook-key", null).statusCode()).isEqualTo(204);
            assertThat(call(bus, "DELETE", "/v1/hooks/" + other, "sandbox-hook-key", null).statusCode()).isEqualTo(404);

            // delivered to the live subscription only
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> zapier.verify(1, postRequestedFor(urlEqualTo(STANDARD))));
            List<LoggedRequest> sent = zapier.findAll(postRequestedFor(urlEqualTo(STANDARD)));
            assertThat(MAPPER.readTree(sent.get(0).getBodyAsString()).path("event_type").asText())
                    .isEqualTo("marketing.contact.subscribed");

            // the Zap is turned off: 410 on the next event unsubscribes it, in this instance and in the topic
            JsonNode original = MAPPER.readTree(Topics.value(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions").get(0)));
            ObjectNode next = (ObjectNode) original.deepCopy();
            next.put("id", "mc-next-1");
            next.put("type", "marketing.contact.profile-updated");
            produce(bus.bootstrapServers(), "marketing.subscriptions", original.path("subject").asText(), next.toString());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call(bus, "GET", "/v1/hooks", "sandbox-hook-key", null).body()).isEqualTo("[]"));
            zapier.verify(2, postRequestedFor(urlEqualTo(STANDARD)));
            zapier.verify(0, postRequestedFor(urlEqualTo(ORDERS)));
            HookSubscriptions after = new HookSubscriptions(bus.bootstrapServers());
            after.start();
            try {
                assertThat(after.all()).isEmpty();
            } finally {
                after.stop();
            }
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.zapier-hooks.zapier.dlq")).isEmpty();
        }
    }

    @Test
    void aSubscriptionMadeOnOneInstanceIsSeenAndDeletedOnAnotherSharingTheBroker() throws Exception {
        try (RunningBus first = RunningBus.start(dataDir.resolve("first"), Map.of("zapier.enabled", "true"));
             RunningBus second = RunningBus.start(dataDir.resolve("second"), Map.of("zapier.enabled", "true",
                     "camel.component.kafka.brokers", first.bootstrapServers()))) {
            assertThat(second.bootstrapServers()).isEqualTo(first.bootstrapServers());
            String id = MAPPER.readTree(call(first, "POST", "/v1/hooks", "sandbox-hook-key", "{\"target_url\":\""
                    + url(zapier, ORDERS) + "\",\"event\":\"marketing.contact.subscribed\"}").body()).path("id").asText();
            // the other instance follows the topic: it lists the hook and delivers to it
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(MAPPER.readTree(
                    call(second, "GET", "/v1/hooks", "sandbox-hook-key", null).body()).findValuesAsText("id")).containsExactly(id));
            assertThat(second.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> zapier.verify(1, postRequestedFor(urlEqualTo(ORDERS))));
            // deleted on the second, gone on the first
            assertThat(call(second, "DELETE", "/v1/hooks/" + id, "sandbox-hook-key", null).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(call(first, "GET", "/v1/hooks", "sandbox-hook-key", null).body()).isEqualTo("[]"));
            Thread.sleep(1000);
            zapier.verify(1, postRequestedFor(urlEqualTo(ORDERS)));
        }
    }

    private static HttpResponse<String> call(RunningBus bus, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
