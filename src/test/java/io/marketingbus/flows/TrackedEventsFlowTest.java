package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import io.marketingbus.support.TrackedEvents;
import io.marketingbus.support.TrackedEvents.Tracked;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destinations' side of the tracking API (issue 15; docs/api-destinations.md), end to end: the tracking API's
 * events, in the shared shapes, put straight on their topics; GA4 (a WireMock fake checking each stream's
 * measurement id and secret), Mixpanel (its strict sandbox), HubSpot and Mailchimp (fakes of the documented
 * calls) take them. One bus for every test; each test its own people and orders.
 */
class TrackedEventsFlowTest {

    static final String RELAY = "/mp/collect?measurement_id=G-RELAY&api_secret=relay-secret";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String LIST = "/3.0/lists/a6b5da1054/members/";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static FakePlatform ga4;
    static FakePlatform hubspot;
    static FakePlatform mailchimp;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        ga4 = FakePlatform.ga4();
        hubspot = FakePlatform.hubspot();
        mailchimp = FakePlatform.mailchimp();
        for (String[] stream : List.of(new String[] {"G-RELAY", "relay-secret"}, new String[] {"G-WEB", "web-secret"},
                new String[] {"G-APP", "app-secret"})) {
            ga4.stubFor(post(urlPathEqualTo("/mp/collect")).withQueryParam("measurement_id", equalTo(stream[0]))
                    .withQueryParam("api_secret", equalTo(stream[1])).willReturn(aResponse().withStatus(204)));
        }
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer pat-tracking"))
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).withHeader("Authorization", equalTo("Bearer pat-tracking"))
                .willReturn(Fakes.json("{\"total\":0,\"results\":[]}")));
        mailchimp.stubFor(put(urlPathMatching(LIST + "[0-9a-f]{32}"))
                .withBasicAuth("marketing-bus", "mc-key-us21").willReturn(Fakes.json("{\"status\":\"transactional\"}")));
        mailchimp.stubFor(post(urlPathMatching(LIST + "[0-9a-f]{32}/tags"))
                .withBasicAuth("marketing-bus", "mc-key-us21").willReturn(aResponse().withStatus(204)));
        bus = RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("mailchimp.webhook-secret", "unused"),
                Map.entry("ga4.measurement-id", "G-RELAY"),
                Map.entry("ga4.api-secret", "relay-secret"),
                Map.entry("ga4.reconcile-enabled", "false"),
                // no common tracking stream: source "ios" has none and is skipped; "web" and "app" have their own
                Map.entry("tracking.ga4.streams", "web=G-WEB:web-secret,app=G-APP:app-secret"),
                Map.entry("hubspot.access-token", "pat-tracking"),
                Map.entry("hubspot.client-secret", "unused"),
                Map.entry("mailchimp.api-key", "mc-key-us21"),
                Map.entry("mailchimp.list-id", "a6b5da1054"),
                Map.entry("mailchimp.tracked-contacts.enabled", "true"),
                Map.entry("loyalty.provider", "mailchimp"),
                Map.entry("loyalty.vip-amount", "100000"),
                Map.entry("mixpanel.analytics.enabled", "true"),
                Map.entry("mixpanel.id-merge", "original")), ga4, hubspot, mailchimp);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(ga4, hubspot, mailchimp);
    }

    /** "<stage> <outcome>: <reason>" of every delivery record of the event. */
    static List<String> story(String eventId) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.managementUrl("/admin/events/" + URLEncoder.encode(eventId, StandardCharsets.UTF_8))))
                .header("Authorization", "Bearer sandbox-admin").build(), HttpResponse.BodyHandlers.ofString());
        List<String> steps = new ArrayList<>();
        if (answer.statusCode() == 200) {
            for (JsonNode record : MAPPER.readTree(answer.body()).path("records")) {
                steps.add(record.path("stage").asText() + " " + record.path("outcome").asText() + ": "
                        + record.path("reason").asText(""));
            }
        }
        return steps;
    }

    static void awaitStory(String eventId, String stageAndOutcome) {
        await().atMost(Duration.ofSeconds(45)).until(() -> story(eventId).stream().anyMatch(s -> s.startsWith(stageAndOutcome)));
    }

    static String reason(String eventId, String stageAndOutcome) throws Exception {
        return story(eventId).stream().filter(s -> s.startsWith(stageAndOutcome)).findFirst().orElseThrow();
    }

    static JsonNode mixpanel(String collection) throws Exception {
        return MAPPER.readTree(bus.get("/sandbox/mixpanel/" + collection).body());
    }

    static List<JsonNode> collected(String measurementId, String apiSecret) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest r : ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect"))
                .withQueryParam("measurement_id", equalTo(measurementId)).withQueryParam("api_secret", equalTo(apiSecret)))) {
            bodies.add(MAPPER.readTree(r.getBodyAsString()));
        }
        return bodies;
    }

    // ---- GA4 and Mixpanel ----------------------------------------------------------------------------------------

    @Test
    void trackedHitsGoToTheirSourcesGa4StreamAndToMixpanelByTheirSegmentNames() throws Exception {
        Instant now = Instant.now().minusSeconds(30);
        Tracked web = TrackedEvents.hit("web", "m-web-1", "anon-7", "u-7", now, "view_item", "Product Viewed",
                Map.of("product_id", "sku-1", "price", 49.9));
        Tracked app = TrackedEvents.hit("app", "m-app-1", "anon-8", null, now, "add_to_cart", "Product Added",
                Map.of("product_id", "sku-2"));
        Tracked ios = TrackedEvents.hit("ios", "m-ios-1", "anon-9", null, now, "sign_up", "Signed Up", Map.of());
        // GA4 keeps param values to 100 characters and drops the hit silently otherwise: the bus says so
        Tracked tooLong = TrackedEvents.hit("web", "m-web-2", "anon-7", null, now, "search", "Products Searched",
                Map.of("search_term", "x".repeat(101)));

        TrackedEvents.publish(bus.bootstrapServers(), web, app, ios, tooLong);

        await().atMost(Duration.ofSeconds(45)).until(() -> collected("G-WEB", "web-secret").size() == 1
                && collected("G-APP", "app-secret").size() == 1);
        awaitStory(ios.id(), "ga4 skipped");
        awaitStory(tooLong.id(), "ga4 dead-lettered");
        JsonNode webHit = collected("G-WEB", "web-secret").get(0);
        assertThat(webHit.get("client_id").asText()).isEqualTo("anon-7");
        assertThat(webHit.get("user_id").asText()).isEqualTo("u-7");
        assertThat(webHit.at("/events/0/name").asText()).isEqualTo("view_item");
        assertThat(collected("G-APP", "app-secret").get(0).at("/events/0/name").asText()).isEqualTo("add_to_cart");
        assertThat(reason(ios.id(), "ga4 skipped")).contains("no GA4 stream for tracking source 'ios'")
                .contains("tracking.ga4.measurement-id");
        assertThat(reason(tooLong.id(), "ga4 dead-lettered")).contains("search_term").contains("100 characters");
        // only the two streams were called, never the relay's for a tracked hit, never without a secret
        assertThat(ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect")))).hasSize(2);
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.analytics-hits.ga4.dlq")).hasSize(1);

        await().atMost(Duration.ofSeconds(45)).until(() -> mixpanelEvents("Product Viewed").size() == 1
                && mixpanelEvents("Product Added").size() == 1 && mixpanelEvents("Signed Up").size() == 1);
        JsonNode viewed = mixpanelEvents("Product Viewed").get(0);
        assertThat(viewed.at("/properties/distinct_id").asText()).isEqualTo("u-7");
        assertThat(viewed.at("/properties/product_id").asText()).isEqualTo("sku-1");
        assertThat(viewed.at("/properties/segment_event").isMissingNode()).isTrue();
        assertThat(mixpanelEvents("Product Added").get(0).at("/properties/distinct_id").asText()).isEqualTo("anon-8");
        assertThat(mixpanelEvents("view_item")).isEmpty();
    }

    static List<JsonNode> mixpanelEvents(String name) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : mixpanel("events")) {
            if (name.equals(e.get("event").asText())) {
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void identitiesBecomeMixpanelProfilesAndAMergeAndGa4SkipsThem() throws Exception {
        Tracked identified = TrackedEvents.identified("web", "m-id-1", "u-21", "anon-21",
                Map.of("firstName", "Ana", "plan", "pro", "contact", "ana@example.com"));
        Tracked anonymous = TrackedEvents.identified("web", "m-id-2", null, "anon-22", Map.of("plan", "free"));
        Tracked alias = TrackedEvents.aliased("web", "m-alias-1", "u-21", "anon-21");

        TrackedEvents.publish(bus.bootstrapServers(), identified, anonymous, alias);

        await().atMost(Duration.ofSeconds(45)).until(() -> profile("u-21") != null && !mixpanelEvents("$merge").isEmpty());
        JsonNode set = profile("u-21").get("$properties");
        assertThat(set.get("$first_name").asText()).isEqualTo("Ana");
        assertThat(set.get("plan").asText()).isEqualTo("pro");
        assertThat(set.toString()).doesNotContain("ana@example.com");
        JsonNode merge = mixpanelEvents("$merge").get(0);
        assertThat(merge.at("/properties/$distinct_ids").toString()).isEqualTo("[\"anon-21\",\"u-21\"]");
        awaitStory(anonymous.id(), "mixpanel skipped");
        assertThat(reason(anonymous.id(), "mixpanel skipped")).contains("only an anonymousId");
        assertThat(profile("anon-22")).isNull();
        for (Tracked t : List.of(identified, anonymous, alias)) {
            awaitStory(t.id(), "ga4 skipped");
            assertThat(reason(t.id(), "ga4 skipped")).contains("an identity event");
        }
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.analytics-hits.mixpanel.dlq")).isEmpty();
    }

    static JsonNode profile(String distinctId) throws Exception {
        for (JsonNode p : mixpanel("profiles")) {
            if (distinctId.equals(p.get("$distinct_id").asText())) {
                return p;
            }
        }
        return null;
    }

    // ---- contacts: HubSpot (flow 1) and Mailchimp ----------------------------------------------------------------

    @Test
    void aTrackedContactReachesHubSpotAndMailchimpWithoutInventedConsent() throws Exception {
        Tracked tracked = TrackedEvents.contact("web", "m-contact-1", "nora.vidal@example.com", "Nora", "Vidal",
                "+34600112233");
        // the same event from Mailchimp itself: HubSpot takes it, Mailchimp never gets its own change back
        Tracked fromMailchimp = new Tracked(tracked.topic(), tracked.key(), new io.marketingbus.event.CloudEvent(
                "1.0", "mc-echo-1", "/mailchimp/lists/a6b5da1054", tracked.event().type(), tracked.event().time(),
                tracked.event().subject(), tracked.event().datacontenttype(), tracked.event().data()));

        TrackedEvents.publish(bus.bootstrapServers(), tracked, fromMailchimp);

        String member = LIST + Identifiers.md5Hex("nora.vidal@example.com");
        await().atMost(Duration.ofSeconds(45)).until(() -> !mailchimp.findAll(putRequestedFor(urlPathEqualTo(member))).isEmpty()
                && hubspotUpserts("nora.vidal@example.com").size() == 2);
        awaitStory("mc-echo-1", "mailchimp skipped");
        List<LoggedRequest> puts = mailchimp.findAll(putRequestedFor(urlPathEqualTo(member)));
        assertThat(puts).hasSize(1);
        JsonNode body = MAPPER.readTree(puts.get(0).getBodyAsString());
        assertThat(body.get("email_address").asText()).isEqualTo("nora.vidal@example.com");
        assertThat(body.get("status_if_new").asText()).isEqualTo("transactional");
        assertThat(body.has("status")).isFalse();
        assertThat(body.at("/merge_fields/FNAME").asText()).isEqualTo("Nora");
        assertThat(body.at("/merge_fields/LNAME").asText()).isEqualTo("Vidal");
        assertThat(reason("mc-echo-1", "mailchimp skipped")).contains("not a tracked contact");
        JsonNode upsert = hubspotUpserts("nora.vidal@example.com").get(0);
        assertThat(upsert.get("email").asText()).isEqualTo("nora.vidal@example.com");
        assertThat(upsert.get("firstname").asText()).isEqualTo("Nora");
        assertThat(upsert.get("lastname").asText()).isEqualTo("Vidal");
        awaitStory(tracked.id(), "hubspot delivered");
    }

    static List<JsonNode> hubspotUpserts(String email) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (LoggedRequest request : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            for (JsonNode input : MAPPER.readTree(request.getBodyAsString()).path("inputs")) {
                if (email.equals(input.path("id").asText())) {
                    found.add(input.path("properties"));
                }
            }
        }
        return found;
    }

    static List<LoggedRequest> tagsFor(String email) {
        return mailchimp.findAll(postRequestedFor(urlPathEqualTo(LIST + Identifiers.md5Hex(email) + "/tags")));
    }

    // ---- flow 3 purchases ----------------------------------------------------------------------------------------

    @Test
    void aSegmentAndAGa4CopyOfOneOrderAreCountedOnceAndASegmentOnlyOrderIsCounted() throws Exception {
        Tracked segmentCopy = TrackedEvents.purchase("web", "m-order-1", "S-5001", new BigDecimal("80.00"),
                "iris.pons@example.com", "u-31", "anon-31");
        TrackedEvents.publish(bus.bootstrapServers(), segmentCopy);
        assertThat(bus.post(RELAY, "application/json", Ga4Hits.purchaseByEmail("iris.pons@example.com", "S-5001", 80.0)
                .toString()).statusCode()).isEqualTo(204);
        Tracked segmentOnly = TrackedEvents.purchase("web", "m-order-2", "S-5002", new BigDecimal("35.50"),
                "leo.sanz@example.com", "u-32", null);
        TrackedEvents.publish(bus.bootstrapServers(), segmentOnly);

        await().atMost(Duration.ofSeconds(45)).until(() -> tagsFor("iris.pons@example.com").size() == 1
                && tagsFor("leo.sanz@example.com").size() == 1);
        awaitStory("ga4-S-5001", "resolver ");
        awaitStory(segmentOnly.id(), "loyalty delivered");
        assertThat(story(segmentCopy.id())).anyMatch(s -> s.startsWith("resolver delivered"));
        assertThat(reason("ga4-S-5001", "resolver skipped")).contains("already counted");
        List<JsonNode> iris = hubspotUpserts("iris.pons@example.com");
        assertThat(iris).hasSize(1);
        assertThat(iris.get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(tagsFor("iris.pons@example.com")).hasSize(1);
        List<JsonNode> leo = hubspotUpserts("leo.sanz@example.com");
        assertThat(leo).hasSize(1);
        assertThat(leo.get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.purchases.resolver.dlq")).isEmpty();
    }
}
