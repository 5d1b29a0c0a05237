package io.marketingbus.ops.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's KPI table, computed from what the bus measured (pure arithmetic, no I/O): API uptime from this
 * instance's health samples, API latency as the 95th percentile of its ingress answer times, and per integration type
 * (and for all of them) sync accuracy, integration success rate and error rate from the delivery records' counts.
 * A KPI with nothing to measure has no value (null) and is neither met nor missed.
 */
public final class Kpis {

    public static final String ALL = "all";
    /** Integration types, as seed 001 names them, and the platforms (ingress or destination) in each. */
    public static final Map<String, List<String>> TYPES = types();

    private Kpis() {
    }

    private static Map<String, List<String>> types() {
        Map<String, List<String>> types = new LinkedHashMap<>();
        types.put("crm", List.of("hubspot", "salesforce"));
        types.put("analytics", List.of("ga4", "mixpanel", "tracking"));
        types.put("communication", List.of("mailchimp", "activecampaign", "loyalty", "whatsapp", "slack"));
        types.put("ecommerce", List.of("shopify", "woocommerce", "facebook-catalog"));
        types.put("ads", List.of("facebook", "google-ads"));
        types.put("tools", List.of("zapier", "make", "hooks"));
        return java.util.Collections.unmodifiableMap(types);
    }

    /** The integration type of an ingress stage ({@code ingress:<platform>}) or destination; "other" if none. */
    public static String typeOf(String stage) {
        String platform = stage.startsWith("ingress:") ? stage.substring("ingress:".length()) : stage;
        for (var entry : TYPES.entrySet()) {
            if (entry.getValue().contains(platform)) {
                return entry.getKey();
            }
        }
        return "other";
    }

    /** A KPI's definition: its name, what it is, its unit, its target and whether higher is better. */
    public enum Kpi {
        API_UPTIME("api_uptime", "API uptime", "ratio", 0.999, true),
        API_LATENCY("api_latency", "API latency (p95 of ingress answers)", "seconds", 0.100, false),
        SYNC_ACCURACY("sync_accuracy", "Data sync accuracy", "ratio", 0.999, true),
        SUCCESS_RATE("integration_success_rate", "Integration success rate", "ratio", 0.99, true),
        ERROR_RATE("error_rate", "Error rate", "ratio", 0.001, false);

        public final String id;
        public final String label;
        public final String unit;
        public final double target;
        public final boolean atLeast;

        Kpi(String id, String label, String unit, double target, boolean atLeast) {
            this.id = id;
            this.label = label;
            this.unit = unit;
            this.target = target;
            this.atLeast = atLeast;
        }

        /** Null when there is no value; uptime and sync targets are met at or above, latency and errors below. */
        public Boolean met(Double value) {
            if (value == null) {
                return null;
            }
            return atLeast ? value >= target : value < target;
        }
    }

    /** One KPI of one type (or "all"): its value and the counts it came from. */
    public record Value(Kpi kpi, String type, Double value, Boolean met, Map<String, Long> from) {
    }

    /**
     * @param rows     the delivery overview's cells over the window
     * @param pending  consumer lag per destination now (events still to deliver)
     * @param instance this instance's health samples and ingress answer times over the window
     */
    public static List<Value> compute(List<DeliveryStats.Row> rows, Map<String, Long> pending,
                                      InstanceHistory.Measured instance) {
        List<Value> values = new ArrayList<>();
        Double uptime = instance.healthSamples() == 0 ? null : instance.healthUp() / (double) instance.healthSamples();
        values.add(value(Kpi.API_UPTIME, ALL, uptime, Map.of("samples", instance.healthSamples(),
                "up", instance.healthUp())));
        Double latency = instance.p95Ms() == null ? null : instance.p95Ms() / 1000.0;
        values.add(value(Kpi.API_LATENCY, ALL, latency, Map.of("answers", instance.answers())));
        values.addAll(rates(ALL, rows, pending));
        for (String type : TYPES.keySet()) {
            values.addAll(rates(type, rows.stream().filter(r -> typeOf(r.stage()).equals(type)).toList(),
                    pending.entrySet().stream().filter(e -> typeOf(e.getKey()).equals(type))
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        }
        return values;
    }

    /** Sync accuracy, success rate and error rate of a set of cells. */
    static List<Value> rates(String type, List<DeliveryStats.Row> rows, Map<String, Long> pending) {
        long received = 0;
        long rejected = 0;
        long delivered = 0;
        long filtered = 0;
        long dead = 0;
        for (DeliveryStats.Row row : rows) {
            if (row.ingress()) {
                received += row.count("received");
                rejected += row.count("rejected");
            } else {
                delivered += row.count("delivered");
                filtered += row.count("filtered");
                dead += row.count("deadLettered");
            }
        }
        long waiting = pending.values().stream().mapToLong(Long::longValue).sum();
        // every outcome recorded (ingress answers and destination outcomes): a type may have destinations and no
        // ingress, and some ingresses (batch webhooks, GA4's relay) record no acceptance per event
        long handled = received + delivered + filtered + dead;
        return List.of(
                value(Kpi.SYNC_ACCURACY, type, ratio(delivered, delivered + dead + waiting),
                        Map.of("delivered", delivered, "deadLettered", dead, "pending", waiting)),
                value(Kpi.SUCCESS_RATE, type, ratio(delivered, delivered + dead),
                        Map.of("delivered", delivered, "deadLettered", dead)),
                value(Kpi.ERROR_RATE, type, ratio(dead + rejected, handled + rejected),
                        Map.of("deadLettered", dead, "rejected", rejected, "handled", handled)));
    }

    static Double ratio(long part, long whole) {
        return whole == 0 ? null : part / (double) whole;
    }

    private static Value value(Kpi kpi, String type, Double value, Map<String, Long> from) {
        return new Value(kpi, type, value, kpi.met(value), from);
    }
}
