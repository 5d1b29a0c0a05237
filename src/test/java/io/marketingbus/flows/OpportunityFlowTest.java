package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.platform.hubspot.HubSpotSignatureVerifier;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 2 end to end: a signed HubSpot deal webhook → the enricher's CRM reads → Meta audience and CAPI, and Google
 * Customer Match, each faked by WireMock accepting only the documented paths and headers.
 */
class OpportunityFlowTest {

    static final String CLIENT_SECRET = "opp-client-secret";
    static final String PUBLIC_URL = "https://bus.example.com/webhooks/hubspot";
    static final String CID = "1234567890";

    @TempDir
    static Path dataDir;
    static FakePlatform hubspot;
    static FakePlatform meta;
    static FakePlatform google;
    static RunningBus bus;
    static final HubSpotSignatureVerifier SIGNER = new HubSpotSignatureVerifier(CLIENT_SECRET, Clock.systemUTC());
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hubspot = FakePlatform.hubspot();
        meta = FakePlatform.facebook();
        google = FakePlatform.googleAds();
        metaAccepts();
        googleAccepts();
        bus = RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("mailchimp.webhook-secret", "unused-secret"),
                Map.entry("hubspot.access-token", "pat-opp"),
                Map.entry("hubspot.client-secret", CLIENT_SECRET),
                Map.entry("hubspot.webhook-url", PUBLIC_URL),
                Map.entry("facebook.access-token", "fb-token"),
                Map.entry("facebook.audience-id", "23851234567890123"),
                Map.entry("facebook.high-value-audience-id", "23859999999999999"),
                Map.entry("facebook.pixel-id", "1234567890"),
                Map.entry("google-ads.access-token", "g-token"),
                Map.entry("google-ads.developer-token", "dev-token"),
                Map.entry("google-ads.customer-id", "123-456-7890"),
                Map.entry("google-ads.login-customer-id", "9998887777"),
                Map.entry("google-ads.user-list-id", "987654321"),
                Map.entry("google-ads.high-value-user-list-id", "987654322"),
                Map.entry("opportunity.high-value-amount", "10000")), hubspot, meta, google);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(hubspot, meta, google);
    }

    static void metaAccepts() {
        meta.stubFor(post(urlPathEqualTo("/v25.0/23851234567890123/users")).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer fb-token"))
                .willReturn(Fakes.json(Samples.text("facebook-custom-audience-users-response.json"))));
        meta.stubFor(post(urlPathEqualTo("/v25.0/23859999999999999/users")).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer fb-token"))
                .willReturn(Fakes.json(Samples.text("facebook-custom-audience-users-response.json"))));
        meta.stubFor(post(urlPathEqualTo("/v25.0/1234567890/events")).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer fb-token"))
                .willReturn(Fakes.json(Samples.text("facebook-capi-response.json"))));
    }

    static void googleAccepts() {
        String jobs = "/v24/customers/" + CID + "/offlineUserDataJobs";
        google.stubFor(post(urlEqualTo(jobs + ":create")).withHeader("Authorization", equalTo("Bearer g-token"))
                .withHeader("developer-token", equalTo("dev-token")).withHeader("login-customer-id", equalTo("9998887777"))
                .willReturn(Fakes.json(Samples.text("google-ads-offlineuserdatajob-create-response.json"))));
        google.stubFor(post(urlEqualTo(jobs + "/5550001:addOperations")).withHeader("developer-token", equalTo("dev-token"))
                .willReturn(Fakes.json("{}")));
        google.stubFor(post(urlEqualTo(jobs + "/5550001:run")).withHeader("developer-token", equalTo("dev-token"))
                .willReturn(Fakes.json(Samples.text("google-ads-offlineuserdatajob-run-response.json"))));
    }


    /** A deal in the HubSpot fake, with one associated contact. */
    static void crmHas(String dealId, String amount, String contactId, String email, String consent) {
        String deal = Samples.text("hubspot-deal-get-with-associations-response.json")
                .replace("18204751234", dealId).replace("\"4800\"", "\"" + amount + "\"").replace("\"51\"", "\"" + contactId + "\"");
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/deals/" + dealId))
                .withQueryParam("associations", equalTo("contacts"))
                .withHeader("Authorization", equalTo("Bearer pat-opp"))
                .willReturn(Fakes.json(deal)));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/batch/read"))
                .withHeader("Authorization", equalTo("Bearer pat-opp"))
                .withRequestBody(matchingJsonPath("$.inputs[0].id", equalTo(contactId)))
                .willReturn(Fakes.json("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"" + contactId + "\",\"properties\":{"
                        + "\"email\":\"" + email + "\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\",\"phone\":\"+34 600 11 22 33\","
                        + "\"country\":\"Spain\",\"zip\":\"28001\",\"ads_personalisation_consent\":\"" + consent + "\"}}]}")));
    }

    static String dealCreation(String dealId, long eventId) {
        return "[{\"eventId\":" + eventId + ",\"subscriptionId\":2345678,\"portalId\":62515,\"appId\":1160452,\"occurredAt\":"
                + System.currentTimeMillis() + ",\"subscriptionType\":\"deal.creation\",\"attemptNumber\":0,\"objectId\":"
                + dealId + ",\"changeFlag\":\"NEW\",\"changeSource\":\"CRM_UI\",\"sourceId\":\"userId:1293843\"}]";
    }

    static HttpResponse<String> sendSigned(String body, String signedUri, long timestamp) throws Exception {
        String ts = String.valueOf(timestamp);
        String signature = SIGNER.sign("POST", signedUri, body.getBytes(StandardCharsets.UTF_8), ts);
        return HTTP.send(HttpRequest.newBuilder(URI.create(bus.url("/webhooks/hubspot")))
                .header("Content-Type", "application/json").header("X-HubSpot-Request-Timestamp", ts)
                .header("X-HubSpot-Signature-v3", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String body) throws Exception {
        return sendSigned(body, PUBLIC_URL, System.currentTimeMillis());
    }

    static List<LoggedRequest> metaUsersWith(String email) {
        return meta.findAll(postRequestedFor(urlPathEqualTo("/v25.0/23851234567890123/users"))
                .withRequestBody(containing(Identifiers.sha256Hex(email))));
    }

    static List<LoggedRequest> googleJobsWith(String email) {
        return google.findAll(postRequestedFor(urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs/5550001:addOperations"))
                .withRequestBody(containing(Identifiers.sha256Hex(email))));
    }

    static double deliveries(String destination, String outcome) {
        var meters = bus.context().getRegistry().lookupByNameAndType("meterRegistry",
                io.micrometer.core.instrument.MeterRegistry.class);
        var counter = meters.find("marketing_bus_delivery_events").tag("destination", destination)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aSignedDealCreationReachesBothAudiencesWithTheExactHashes() throws Exception {
        crmHas("18204751234", "4800", "51", "Lucia.Martin@Example.com", "true");

        HttpResponse<String> response = send(dealCreation("18204751234", 3816279340L));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).get("accepted").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> googleJobsWith("lucia.martin@example.com").size() == 1
                && metaUsersWith("lucia.martin@example.com").size() == 1);
        hubspot.verify(getRequestedFor(urlPathEqualTo("/crm/v3/objects/deals/18204751234")));
        meta.verify(postRequestedFor(urlPathEqualTo("/v25.0/23851234567890123/users")).withRequestBody(equalToJson(
                "{\"payload\":" + Samples.json("facebook-custom-audience-users-request.json").get("payload") + "}", true, true)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> meta.verify(1,
                postRequestedFor(urlPathEqualTo("/v25.0/1234567890/events"))
                        .withRequestBody(matchingJsonPath("$.data[0].event_id", equalTo("hs-deal-18204751234")))
                        .withRequestBody(matchingJsonPath("$.data[0].event_name", equalTo("Lead")))));
        google.verify(postRequestedFor(urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs:create"))
                .withRequestBody(equalToJson(Samples.text("google-ads-offlineuserdatajob-create-request.json"))));
        google.verify(postRequestedFor(urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs/5550001:addOperations"))
                .withRequestBody(equalToJson(Samples.text("google-ads-offlineuserdatajob-addoperations-request.json"))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                google.verify(postRequestedFor(urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs/5550001:run"))));
    }

    @Test
    void aContactWithoutConsentReachesNeitherPlatform() throws Exception {
        crmHas("18204752222", "900", "52", "no-consent@example.com", "false");
        crmHas("18204752223", "900", "53", "after-no-consent@example.com", "true");
        double facebookSkipped = deliveries("facebook", "skipped");
        double googleSkipped = deliveries("google-ads", "skipped");

        assertThat(send(dealCreation("18204752222", 1L)).statusCode()).isEqualTo(200);
        assertThat(send(dealCreation("18204752223", 2L)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> googleJobsWith("after-no-consent@example.com").size() == 1
                && metaUsersWith("after-no-consent@example.com").size() == 1);
        // the no-consent event was routed (and skipped) by both destinations, not merely still waiting
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries("facebook", "skipped") > facebookSkipped
                && deliveries("google-ads", "skipped") > googleSkipped);
        assertThat(metaUsersWith("no-consent@example.com")).isEmpty();
        assertThat(googleJobsWith("no-consent@example.com")).isEmpty();
        assertThat(meta.findAll(postRequestedFor(urlPathEqualTo("/v25.0/1234567890/events"))
                .withRequestBody(containing("hs-deal-18204752222")))).isEmpty();
    }

    @Test
    void aHighValueDealGoesToTheHighValueAudienceAndList() throws Exception {
        crmHas("18204753333", "25000", "54", "big-deal@example.com", "yes");
        google.stubFor(post(urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs:create"))
                .withRequestBody(containing("987654322")).willReturn(Fakes.json(
                        "{\"resourceName\":\"customers/" + CID + "/offlineUserDataJobs/5550001\"}")));

        send(dealCreation("18204753333", 3L));

        await().atMost(Duration.ofSeconds(30)).until(() -> !meta.findAll(postRequestedFor(
                urlPathEqualTo("/v25.0/23859999999999999/users")).withRequestBody(containing(
                Identifiers.sha256Hex("big-deal@example.com")))).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> !google.findAll(postRequestedFor(
                urlEqualTo("/v24/customers/" + CID + "/offlineUserDataJobs:create"))
                .withRequestBody(containing("userLists/987654322"))).isEmpty());
        assertThat(metaUsersWith("big-deal@example.com")).isEmpty();
    }

    @Test
    void aMetaOutageNeitherDelaysNorRepeatsGoogle() throws Exception {
        crmHas("18204754444", "700", "55", "meta-flaky@example.com", "true");
        String hash = Identifiers.sha256Hex("meta-flaky@example.com");
        meta.stubFor(post(urlPathEqualTo("/v25.0/23851234567890123/users")).atPriority(1)
                .withRequestBody(containing(hash)).inScenario("meta-flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));

        send(dealCreation("18204754444", 4L));

        await().atMost(Duration.ofSeconds(30)).until(() -> metaUsersWith("meta-flaky@example.com").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> googleJobsWith("meta-flaky@example.com").size() == 1);
        crmHas("18204754445", "700", "56", "after-meta-flaky@example.com", "true");
        send(dealCreation("18204754445", 5L));
        await().atMost(Duration.ofSeconds(30)).until(() -> metaUsersWith("after-meta-flaky@example.com").size() == 1
                && googleJobsWith("after-meta-flaky@example.com").size() == 1);
        assertThat(googleJobsWith("meta-flaky@example.com")).hasSize(1);
        assertThat(metaUsersWith("meta-flaky@example.com")).hasSize(2);
        assertThat(meta.findAll(postRequestedFor(urlPathEqualTo("/v25.0/1234567890/events"))
                .withRequestBody(containing("hs-deal-18204754444")))).hasSize(1);
    }

    @Test
    void theSameWebhookTwiceDeliversOncePerPlatform() throws Exception {
        crmHas("18204755555", "700", "57", "twice-deal@example.com", "true");
        String body = dealCreation("18204755555", 6L);
        double enricherSkipped = deliveries("enricher", "skipped");

        send(body);
        send(body);
        crmHas("18204755556", "700", "58", "after-twice-deal@example.com", "true");
        send(dealCreation("18204755556", 7L));

        await().atMost(Duration.ofSeconds(30)).until(() -> metaUsersWith("after-twice-deal@example.com").size() == 1
                && googleJobsWith("after-twice-deal@example.com").size() == 1);
        // the second copy reached the enricher and was recognised as already delivered
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries("enricher", "skipped") > enricherSkipped);
        assertThat(metaUsersWith("twice-deal@example.com")).hasSize(1);
        assertThat(googleJobsWith("twice-deal@example.com")).hasSize(1);
    }

    @Test
    void forgedStaleOrMisaddressedWebhooksGet401() throws Exception {
        String body = dealCreation("18204756666", 8L);
        long now = System.currentTimeMillis();

        assertThat(sendSigned(body, "http://127.0.0.1/webhooks/hubspot", now).statusCode()).isEqualTo(401);
        assertThat(sendSigned(body, PUBLIC_URL, now - 6 * 60_000).statusCode()).isEqualTo(401);
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(bus.url("/webhooks/hubspot")))
                .header("Content-Type", "application/json").header("X-HubSpot-Request-Timestamp", String.valueOf(now))
                .header("X-HubSpot-Signature-v3", "bm90IGEgc2lnbmF0dXJl").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).doesNotContain("Exception");
    }

    @Test
    void aMalformedElementIsDeadLetteredWithoutLosingItsSiblings() throws Exception {
        crmHas("18204757777", "700", "59", "sibling@example.com", "true");
        String body = "[" + dealCreation("18204757777", 9L).substring(1, dealCreation("18204757777", 9L).length() - 1)
                + ",{\"subscriptionType\":\"deal.creation\",\"objectId\":\"not-a-number\",\"occurredAt\":1,\"marker\":\"bad-sibling\"}]";

        HttpResponse<String> response = send(body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).get("accepted").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> metaUsersWith("sibling@example.com").size() == 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> Topics.readAll(bus.bootstrapServers(), "marketing.ingress.dlq")
                .stream().anyMatch(r -> Topics.value(r).contains("bad-sibling")
                        && Topics.header(r, "bus-dlq-reason").contains("objectId")));
    }
}
