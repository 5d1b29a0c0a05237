package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Seed 001's KPI arithmetic on hand-made totals. */
class KpisTest {

    static DeliveryStats.Row row(String stage, long received, long rejected, long delivered, long filtered, long dead) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("received", received);
        counts.put("rejected", rejected);
        counts.put("filtered", filtered);
        counts.put("delivered", delivered);
        counts.put("retried", 0L);
        counts.put("deadLettered", dead);
        return new DeliveryStats.Row("contacts", stage, counts, Map.of(), null, null, 0);
    }

    static Kpis.Value find(List<Kpis.Value> values, Kpis.Kpi kpi, String type) {
        return values.stream().filter(v -> v.kpi() == kpi && v.type().equals(type)).findFirst().orElseThrow();
    }

    final List<DeliveryStats.Row> rows = List.of(
            row("ingress:mailchimp", 1000, 1, 0, 0, 0),
            row("hubspot", 0, 0, 990, 5, 5),
            row("facebook", 0, 0, 1000, 0, 0));

    @Test
    void ratesForAllIntegrations() {
        List<Kpis.Value> values = Kpis.compute(rows, Map.of("hubspot", 10L), new InstanceHistory.Measured(0, 0, 0, null));

        // 1990 delivered of 1990 + 5 dead + 10 pending
        assertThat(find(values, Kpis.Kpi.SYNC_ACCURACY, Kpis.ALL).value()).isCloseTo(1990 / 2005.0, within(1e-9));
        assertThat(find(values, Kpis.Kpi.SYNC_ACCURACY, Kpis.ALL).met()).isFalse();
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, Kpis.ALL).value()).isCloseTo(1990 / 1995.0, within(1e-9));
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, Kpis.ALL).met()).isTrue();
        // (5 dead + 1 rejected) / (1000 received + 1990 delivered + 5 filtered + 5 dead + 1 rejected)
        assertThat(find(values, Kpis.Kpi.ERROR_RATE, Kpis.ALL).value()).isCloseTo(6 / 3001.0, within(1e-9));
        assertThat(find(values, Kpis.Kpi.ERROR_RATE, Kpis.ALL).met()).isFalse();
    }

    @Test
    void ratesPerIntegrationType() {
        List<Kpis.Value> values = Kpis.compute(rows, Map.of(), new InstanceHistory.Measured(0, 0, 0, null));

        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, "crm").value()).isCloseTo(990 / 995.0, within(1e-9));
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, "ads").value()).isEqualTo(1.0);
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, "ads").met()).isTrue();
        // a type with ingress only: nothing delivered to measure, one rejection in 1001 requests
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, "communication").value()).isNull();
        assertThat(find(values, Kpis.Kpi.SUCCESS_RATE, "communication").met()).isNull();
        assertThat(find(values, Kpis.Kpi.ERROR_RATE, "communication").value()).isCloseTo(1 / 1001.0, within(1e-9));
        // crm: 5 dead of its 1000 destination outcomes
        assertThat(find(values, Kpis.Kpi.ERROR_RATE, "crm").value()).isCloseTo(5 / 1000.0, within(1e-9));
        assertThat(find(values, Kpis.Kpi.ERROR_RATE, "tools").value()).isNull();
    }

    @Test
    void uptimeAndLatencyFromTheInstance() {
        List<Kpis.Value> values = Kpis.compute(List.of(), Map.of(), new InstanceHistory.Measured(1000, 999, 50, 87L));
        assertThat(find(values, Kpis.Kpi.API_UPTIME, Kpis.ALL).value()).isCloseTo(0.999, within(1e-9));
        assertThat(find(values, Kpis.Kpi.API_UPTIME, Kpis.ALL).met()).isTrue();
        assertThat(find(values, Kpis.Kpi.API_LATENCY, Kpis.ALL).value()).isCloseTo(0.087, within(1e-9));
        assertThat(find(values, Kpis.Kpi.API_LATENCY, Kpis.ALL).met()).isTrue();
        values = Kpis.compute(List.of(), Map.of(), new InstanceHistory.Measured(1000, 998, 50, 100L));
        assertThat(find(values, Kpis.Kpi.API_UPTIME, Kpis.ALL).met()).isFalse();
        assertThat(find(values, Kpis.Kpi.API_LATENCY, Kpis.ALL).met()).isFalse();
        values = Kpis.compute(List.of(), Map.of(), new InstanceHistory.Measured(0, 0, 0, null));
        assertThat(find(values, Kpis.Kpi.API_UPTIME, Kpis.ALL).value()).isNull();
    }

    @Test
    void typesOfStages() {
        assertThat(Kpis.typeOf("ingress:shopify")).isEqualTo("ecommerce");
        assertThat(Kpis.typeOf("google-ads")).isEqualTo("ads");
        assertThat(Kpis.typeOf("hooks")).isEqualTo("tools");
        assertThat(Kpis.typeOf("enricher")).isEqualTo("other");
    }
}
