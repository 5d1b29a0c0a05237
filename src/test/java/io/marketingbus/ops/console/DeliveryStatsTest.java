package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

/** The overview's arithmetic on hand-fed delivery records and a clock moved by hand. */
class DeliveryStatsTest {

    final MovableClock clock = new MovableClock("2026-11-29T12:00:00Z");
    final DeliveryStats stats = new DeliveryStats(clock, 1000);
    final ObjectMapper mapper = new ObjectMapper();

    void record(String id, String type, String stage, String outcome, String reason, Instant at) {
        ObjectNode node = mapper.createObjectNode().put("eventId", id).put("type", type).put("stage", stage)
                .put("outcome", outcome).put("at", at.toString());
        if (reason != null) {
            node.put("reason", reason);
        }
        stats.accept(node);
    }

    DeliveryStats.Row row(List<DeliveryStats.Row> rows, String flow, String stage) {
        return rows.stream().filter(r -> r.flow().equals(flow) && r.stage().equals(stage)).findFirst().orElseThrow();
    }

    @Test
    void countsEachOutcomePerFlowAndStageWithReasons() {
        Instant t = clock.now.minusSeconds(30);
        record("e1", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, t);
        record("e2", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, t);
        record("rej-1", null, "ingress:mailchimp", "rejected", "bad signature", t);
        record("e1", "marketing.contact.subscribed", "hubspot", "delivered", null, t.plusMillis(40));
        record("e2", "marketing.contact.subscribed", "hubspot", "retried", "HTTP 503", t.plusMillis(50));
        record("e2", "marketing.contact.subscribed", "hubspot", "dead-lettered", "HTTP 400 for jane@example.com", t.plusMillis(90));
        record("e3", "marketing.opportunity.created", "facebook", "skipped", "no consent", t);

        List<DeliveryStats.Row> rows = stats.rows(Duration.ofHours(1));

        DeliveryStats.Row ingress = row(rows, "contacts", "ingress:mailchimp");
        assertThat(ingress.count("received")).isEqualTo(2);
        DeliveryStats.Row rejected = row(rows, Flows.UNPARSED, "ingress:mailchimp");
        assertThat(rejected.count("rejected")).isEqualTo(1);
        assertThat(rejected.reasons().get("rejected")).containsEntry("bad signature", 1L);
        DeliveryStats.Row hubspot = row(rows, "contacts", "hubspot");
        assertThat(hubspot.count("delivered")).isEqualTo(1);
        assertThat(hubspot.count("retried")).isEqualTo(1);
        assertThat(hubspot.count("deadLettered")).isEqualTo(1);
        assertThat(hubspot.reasons().get("deadLettered")).containsOnlyKeys("HTTP 400 for j***@example.com");
        assertThat(row(rows, "opportunities", "facebook").reasons().get("filtered")).containsEntry("no consent", 1L);
    }

    @Test
    void windowsKeepOnlyTheirMinutesAndSevenDaysAtMost() {
        record("old", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minus(Duration.ofHours(2)));
        record("new", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minusSeconds(5));
        record("ancient", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minus(Duration.ofDays(8)));

        assertThat(row(stats.rows(Duration.ofHours(1)), "contacts", "ingress:mailchimp").count("received")).isEqualTo(1);
        assertThat(row(stats.rows(Duration.ofDays(1)), "contacts", "ingress:mailchimp").count("received")).isEqualTo(2);
        assertThat(row(stats.rows(Duration.ofDays(7)), "contacts", "ingress:mailchimp").count("received")).isEqualTo(2);

        clock.advance(Duration.ofDays(7));
        assertThat(stats.rows(Duration.ofDays(7))).isEmpty();
        // the ring's slot is reused by a new minute, never added to the old one
        record("later", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minusSeconds(5));
        assertThat(row(stats.rows(Duration.ofDays(7)), "contacts", "ingress:mailchimp").count("received")).isEqualTo(1);
    }

    @Test
    void latencyIsAcceptedToDeliveredOfTheSameEvent() {
        Instant t = clock.now.minusSeconds(50);
        for (int i = 0; i < 100; i++) {
            record("e" + i, "marketing.conversion.purchase", "ingress:shopify", "accepted", null, t);
            // 1..100 ms
            record("e" + i, "marketing.conversion.purchase", "ga4", "delivered", null, t.plusMillis(i + 1));
        }
        DeliveryStats.Row ga4 = row(stats.rows(Duration.ofHours(1)), "purchases", "ga4");
        assertThat(ga4.latencies()).isEqualTo(100);
        // at most 20 % above the true percentile, never below
        assertThat(ga4.p50Ms()).isBetween(50L, 60L);
        assertThat(ga4.p95Ms()).isBetween(95L, 114L);
        // an event delivered without a known acceptance has no latency
        record("stranger", "marketing.conversion.purchase", "ga4", "delivered", null, t);
        assertThat(row(stats.rows(Duration.ofHours(1)), "purchases", "ga4").latencies()).isEqualTo(100);
    }

    @Test
    void samplesAreTheLastTenOfTheOutcomeNewestFirst() {
        for (int i = 0; i < 15; i++) {
            record("e" + i, "marketing.contact.subscribed", "hubspot", "delivered", null, clock.now.minusSeconds(60 - i));
        }
        List<DeliveryStats.Sample> samples = stats.samples("contacts", "hubspot", "delivered", Duration.ofHours(1));
        assertThat(samples).extracting(DeliveryStats.Sample::eventId).hasSize(DeliveryStats.SAMPLES)
                .startsWith("e14").endsWith("e5");
        assertThat(stats.samples("contacts", "hubspot", "deadLettered", Duration.ofHours(1))).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(stats.samples("contacts", "hubspot", "delivered", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void reasonsPerBucketAreBounded() {
        for (int i = 0; i < DeliveryStats.MAX_REASONS + 5; i++) {
            record("e" + i, "marketing.contact.subscribed", "hubspot", "skipped", "rule " + i, clock.now.minusSeconds(1));
        }
        var reasons = row(stats.rows(Duration.ofHours(1)), "contacts", "hubspot").reasons().get("filtered");
        assertThat(reasons).hasSize(DeliveryStats.MAX_REASONS + 1).containsEntry("(other reasons)", 5L);
    }

    @Test
    void seriesSplitsTheWindowIntoSteps() {
        record("a", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minus(Duration.ofMinutes(90)));
        record("b", "marketing.contact.subscribed", "ingress:mailchimp", "accepted", null, clock.now.minusSeconds(30));
        var series = stats.series(Duration.ofHours(3), Duration.ofHours(1));
        assertThat(series).hasSize(3);
        assertThat(series.get(0)).isEmpty();
        assertThat(series.get(1).get(0).count("received")).isEqualTo(1);
        assertThat(series.get(2).get(0).count("received")).isEqualTo(1);
    }

    @Test
    void flowsComeFromTheEventType() {
        assertThat(Flows.ofType("marketing.contact.subscribed")).isEqualTo("contacts");
        assertThat(Flows.ofType("marketing.contact.messaging-opted-in")).isEqualTo("messaging");
        assertThat(Flows.ofType("marketing.deal.changed")).isEqualTo("opportunities");
        assertThat(Flows.ofType("marketing.conversion.purchase")).isEqualTo("purchases");
        assertThat(Flows.ofType("marketing.analytics.hit")).isEqualTo("analytics");
        assertThat(Flows.ofType("marketing.product.upserted")).isEqualTo("commerce");
        assertThat(Flows.ofType("marketing.custom.event")).isEqualTo("custom");
        assertThat(Flows.ofType(null)).isEqualTo(Flows.UNPARSED);
    }
}
