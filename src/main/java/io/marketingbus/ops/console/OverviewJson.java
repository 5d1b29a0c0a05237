package io.marketingbus.ops.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The overview's and KPIs' JSON answers, from {@link ConsoleStats}: {@code overview(window)},
 * {@code samples(flow, destination, outcome, window)}, {@code kpis(window)}. Windows: 1h, 1d, 7d.
 */
public final class OverviewJson {

    public static final Map<String, Duration> WINDOWS = Map.of("1h", Duration.ofHours(1), "1d", Duration.ofDays(1),
            "7d", Duration.ofDays(7));

    private final ObjectMapper mapper = new ObjectMapper();
    private final ConsoleStats console;

    public OverviewJson(ConsoleStats console) {
        this.console = console;
    }

    /** @return null for an unknown window */
    public static Duration window(String name) {
        return WINDOWS.get(name == null || name.isBlank() ? "1h" : name);
    }

    public ObjectNode overview(String windowName) {
        Duration window = window(windowName);
        Instant now = console.stats().clock().instant();
        ObjectNode body = mapper.createObjectNode();
        body.put("window", windowName == null || windowName.isBlank() ? "1h" : windowName)
                .put("from", now.minus(window).toString()).put("to", now.toString());
        Map<String, Long> pending = new HashMap<>(console.pending());
        List<DeliveryStats.Row> rows = new ArrayList<>(console.stats().rows(window));
        Set<String> shown = new HashSet<>();
        rows.forEach(r -> shown.add(r.flow() + "\u0000" + r.stage()));
        // a destination with a backlog and no record in the window still gets its row
        pending.forEach((key, n) -> {
            if (n > 0 && !shown.contains(key)) {
                int cut = key.indexOf('\u0000');
                Map<String, Long> zero = new java.util.LinkedHashMap<>();
                DeliveryStats.OUTCOMES.forEach(o -> zero.put(o, 0L));
                rows.add(new DeliveryStats.Row(key.substring(0, cut), key.substring(cut + 1), zero, Map.of(), null, null, 0));
            }
        });
        rows.sort(java.util.Comparator.comparing(DeliveryStats.Row::flow)
                .thenComparing(r -> !r.ingress()).thenComparing(DeliveryStats.Row::stage));
        ArrayNode out = body.putArray("rows");
        for (DeliveryStats.Row row : rows) {
            ObjectNode node = out.addObject();
            node.put("flow", row.flow()).put("destination", row.stage()).put("ingress", row.ingress());
            row.counts().forEach(node::put);
            ObjectNode reasons = node.putObject("reasons");
            row.reasons().forEach((outcome, byReason) -> {
                ObjectNode r = reasons.putObject(outcome);
                byReason.forEach(r::put);
            });
            putNullable(node, "p50Ms", row.p50Ms());
            putNullable(node, "p95Ms", row.p95Ms());
            node.put("latencies", row.latencies());
            if (row.ingress()) {
                node.putNull("pending");
                node.putNull("breaker");
            } else {
                node.put("pending", pending.getOrDefault(row.flow() + "\u0000" + row.stage(), 0L));
                node.put("breaker", console.breaker(row.stage()));
            }
        }
        return body;
    }

    public ObjectNode samples(String flow, String destination, String outcome, String windowName) {
        ObjectNode body = mapper.createObjectNode();
        body.put("flow", flow).put("destination", destination).put("outcome", outcome);
        ArrayNode out = body.putArray("samples");
        for (DeliveryStats.Sample sample : console.stats().samples(flow, destination, outcome, window(windowName))) {
            ObjectNode node = out.addObject().put("eventId", sample.eventId()).put("type", sample.type())
                    .put("at", sample.at().toString());
            if (sample.reason() != null) {
                node.put("reason", sample.reason());
            }
        }
        return body;
    }

    public ObjectNode kpis(String windowName) {
        Duration window = window(windowName);
        Instant now = console.stats().clock().instant();
        ObjectNode body = mapper.createObjectNode();
        body.put("window", windowName == null || windowName.isBlank() ? "1h" : windowName)
                .put("from", now.minus(window).toString()).put("to", now.toString())
                .put("instance", instanceName())
                .put("note", "uptime and API latency are this instance's; the rates count every instance's records");
        List<Kpis.Value> values = Kpis.compute(console.stats().rows(window), console.pendingByDestination(),
                console.instance().measured(window, Duration.ZERO));
        // the trend: the same KPIs per step (5 minutes over an hour, else per hour); pending is now, so not in it
        Duration step = window.compareTo(Duration.ofHours(1)) <= 0 ? Duration.ofMinutes(5) : Duration.ofHours(1);
        List<List<DeliveryStats.Row>> series = console.stats().series(window, step);
        ArrayNode times = body.putArray("times");
        Map<String, ArrayNode> trends = new HashMap<>();
        ArrayNode out = body.putArray("kpis");
        for (Kpis.Value v : values) {
            ObjectNode node = out.addObject();
            node.put("id", v.kpi().id).put("label", v.kpi().label).put("type", v.type()).put("unit", v.kpi().unit)
                    .put("target", v.kpi().target).put("comparison", v.kpi().atLeast ? ">=" : "<");
            if (v.value() == null || v.value().isNaN()) {
                node.putNull("value");
            } else {
                node.put("value", v.value());
            }
            if (v.met() == null) {
                node.putNull("met");
            } else {
                node.put("met", v.met());
            }
            ObjectNode from = node.putObject("from");
            new java.util.TreeMap<>(v.from()).forEach(from::put);
            trends.put(v.kpi().id + "|" + v.type(), node.putArray("trend"));
        }
        long stepMinutes = step.toMinutes();
        for (int i = 0; i < series.size(); i++) {
            Duration fromAgo = window.minus(step.multipliedBy(i));
            Duration toAgo = fromAgo.minus(step).isNegative() ? Duration.ZERO : fromAgo.minus(step);
            times.add(now.minus(toAgo).getEpochSecond());
            for (Kpis.Value v : Kpis.compute(series.get(i), Map.of(), console.instance().measured(fromAgo, toAgo))) {
                ArrayNode trend = trends.get(v.kpi().id + "|" + v.type());
                if (v.value() == null) {
                    trend.addNull();
                } else {
                    trend.add(v.value());
                }
            }
        }
        body.put("stepMinutes", stepMinutes);
        return body;
    }

    private static void putNullable(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static String instanceName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "this instance";
        }
    }
}
