package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.Identifiers;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 2 from Salesforce end to end with {@code crm.provider=salesforce}: Opportunities and their contact roles put
 * into the sandbox org through its REST API, the poller's SOQL (paged through nextRecordsUrl) and the same Meta and
 * Google Ads activation as HubSpot deals; one event per change; the watermark across a restart.
 */
class SalesforceOpportunityPollTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Pattern FROM = Pattern.compile("SystemModstamp >= (\\S+) AND SystemModstamp < (\\S+)");

    @TempDir
    Path dataDir;

    RunningBus bus() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("crm.provider", "salesforce");
        settings.put("salesforce.opportunities.poll-cron", "0/1 * * * * ?");
        // one opportunity per page: every poll follows nextRecordsUrl
        settings.put("salesforce.sandbox.query-page-size", "1");
        return RunningBus.start(dataDir, settings);
    }

    static JsonNode sandbox(RunningBus bus, String path) throws Exception {
        return MAPPER.readTree(bus.get(path).body());
    }

    static String token(RunningBus bus) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.url("/sandbox/salesforce/services/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=sandbox-salesforce-client"
                        + "&client_secret=sandbox-salesforce-secret&refresh_token=sandbox-salesforce-refresh")).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body()).get("access_token").asText();
    }

    static String write(RunningBus bus, String token, String method, String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.url("/sandbox/salesforce/services/data/v62.0/sobjects/" + path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(201, 204);
        return response.body().isEmpty() ? null : MAPPER.readTree(response.body()).get("id").asText();
    }

    static List<String> opportunityIds(RunningBus bus) {
        return Topics.readAll(bus.bootstrapServers(), "marketing.opportunities").stream()
                .map(r -> {
                    try {
                        return MAPPER.readTree(Topics.value(r)).get("id").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    @Test
    void changedOpportunitiesActivateTheirConsentedContactsOncePerChange() throws Exception {
        try (RunningBus bus = bus()) {
            String token = token(bus);
            String lucia = write(bus, token, "POST", "Contact", "{\"LastName\":\"Martin\",\"FirstName\":\"Lucia\","
                    + "\"Email\":\"lucia.martin@example.com\",\"MailingCountry\":\"Spain\",\"Ads_Personalisation_Consent__c\":true}");
            String noConsent = write(bus, token, "POST", "Contact", "{\"LastName\":\"Ruiz\",\"Email\":\"pablo.ruiz@example.com\","
                    + "\"Ads_Personalisation_Consent__c\":false}");
            String big = write(bus, token, "POST", "Opportunity", "{\"Name\":\"Acme renewal\",\"StageName\":\"Closed Won\","
                    + "\"Amount\":12500,\"CloseDate\":\"2026-12-31\"}");
            String small = write(bus, token, "POST", "Opportunity", "{\"Name\":\"Acme add-on\",\"StageName\":\"Prospecting\","
                    + "\"Amount\":100,\"CloseDate\":\"2026-12-31\"}");
            write(bus, token, "POST", "OpportunityContactRole", "{\"OpportunityId\":\"" + big + "\",\"ContactId\":\"" + lucia + "\",\"Role\":\"Decision Maker\"}");
            write(bus, token, "POST", "OpportunityContactRole", "{\"OpportunityId\":\"" + big + "\",\"ContactId\":\"" + noConsent + "\"}");
            write(bus, token, "POST", "OpportunityContactRole", "{\"OpportunityId\":\"" + small + "\",\"ContactId\":\"" + lucia + "\"}");

            String hashed = Identifiers.sha256Hex("lucia.martin@example.com");
            await().atMost(Duration.ofSeconds(45)).until(() -> sandbox(bus, "/sandbox/google-ads/user-lists").toString().contains(hashed)
                    && sandbox(bus, "/sandbox/facebook/audiences").toString().contains(hashed));
            // several more polls over the same window (the overlap): the same events again, applied once
            int polls = sandbox(bus, "/sandbox/salesforce/calls").size();
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox(bus, "/sandbox/salesforce/calls").size() >= polls + 6);
            List<String> ids = opportunityIds(bus);
            assertThat(ids.size()).isGreaterThan(3);
            assertThat(ids.stream().distinct().toList()).containsExactlyInAnyOrder(
                    "sf-opp-" + big + "-created-c" + lucia, "sf-opp-" + big + "-created-c" + noConsent,
                    "sf-opp-" + small + "-created-c" + lucia);
            // two opportunities of Lucia's (high value and standard), one CAPI lead each; Pablo has no consent
            assertThat(sandbox(bus, "/sandbox/facebook/events")).hasSize(2);
            assertThat(sandbox(bus, "/sandbox/facebook/audiences").toString()).doesNotContain(Identifiers.sha256Hex("pablo.ruiz@example.com"));
            // every poll followed nextRecordsUrl: one opportunity per page
            assertThat(sandbox(bus, "/sandbox/salesforce/calls").toString()).contains("SystemModstamp >= ");

            // a stage change is a new change: one more event per contact, once
            write(bus, token, "PATCH", "Opportunity/" + small, "{\"StageName\":\"Closed Won\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> opportunityIds(bus).stream().distinct().count() == 4);
            Thread.sleep(2_000);
            assertThat(opportunityIds(bus).stream().distinct().filter(id -> id.startsWith("sf-opp-" + small)).toList())
                    .hasSize(2).anyMatch(id -> !id.contains("-created-"));
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.opportunities.facebook.dlq")).isEmpty();
        }
    }

    @Test
    void theWatermarkSurvivesARestartAndWindowsOverlapByTheConfiguredMargin() throws Exception {
        Instant before;
        try (RunningBus first = bus()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox(first, "/sandbox/salesforce/calls").size() >= 2);
            before = Instant.now();
        }
        try (RunningBus second = bus()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox(second, "/sandbox/salesforce/calls").isEmpty());
            String soql = sandbox(second, "/sandbox/salesforce/calls").get(0).get("soql").asText();
            Matcher window = FROM.matcher(soql);
            assertThat(window.find()).as(soql).isTrue();
            Instant from = Instant.parse(window.group(1));
            // resumed from the stored watermark minus the 60 s overlap, not from the 1 h initial look-back
            assertThat(from).isBetween(before.minusSeconds(60 + 6), before.minusSeconds(60 - 1));
            assertThat(Instant.parse(window.group(2))).isAfter(from);
        }
    }
}
