package io.marketingbus.ops.console;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ops.ConsumerLagMetrics;
import io.marketingbus.ops.DeliveryRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The console's delivery overview and KPIs: {@code GET /console/api/overview?window=1h|1d|7d},
 * {@code GET /console/api/overview/samples?flow=&destination=&outcome=&window=} and
 * {@code GET /console/api/kpis?window=}. Answers are computed off the event loop; the counting itself happens on
 * the delivery records' reader thread, never on a Kafka consumer that delivers.
 */
public final class OverviewPart extends ServiceSupport implements ConsolePart {

    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
    /** Acceptance times kept to measure end-to-end latency (about 100 bytes each). */
    static final int MAX_ACCEPTED = 100_000;

    private final ConsoleStats stats;
    private final OverviewJson json;

    public OverviewPart(CamelContext context, Clock clock, DeliveryRecords records, IngressResponses ingress,
                        ConsumerLagMetrics lag, DestinationBreakers breakers, MeterRegistry meters) {
        this.stats = new ConsoleStats(context, clock, records, ingress, lag, breakers, meters, HEALTH_INTERVAL,
                MAX_ACCEPTED);
        this.json = new OverviewJson(stats);
    }

    @Override
    public void register(Router router, ConsoleAuth auth) {
        router.get("/console/api/overview").handler(ctx -> answer(ctx, auth, () -> {
            String window = ctx.request().getParam("window");
            return OverviewJson.window(window) == null ? null : json.overview(window);
        }));
        router.get("/console/api/overview/samples").handler(ctx -> answer(ctx, auth, () -> {
            String window = ctx.request().getParam("window");
            String flow = ctx.request().getParam("flow");
            String destination = ctx.request().getParam("destination");
            String outcome = ctx.request().getParam("outcome");
            if (OverviewJson.window(window) == null || flow == null || destination == null
                    || !DeliveryStats.OUTCOMES.contains(outcome)) {
                return null;
            }
            return json.samples(flow, destination, outcome, window);
        }));
        router.get("/console/api/kpis").handler(ctx -> answer(ctx, auth, () -> {
            String window = ctx.request().getParam("window");
            return OverviewJson.window(window) == null ? null : json.kpis(window);
        }));
    }

    /** 401 unless signed in; 400 when the answer is null (a bad parameter); else the JSON, computed off the loop. */
    private static void answer(RoutingContext ctx, ConsoleAuth auth, Supplier<JsonNode> body) {
        if (!auth.authorised(ctx)) {
            auth.refuse(ctx);
            return;
        }
        ctx.vertx().<JsonNode>executeBlocking(body::get, false).onComplete(result -> {
            var response = ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store");
            if (result.failed()) {
                response.setStatusCode(500).end("{\"error\":\"the overview could not be computed\"}");
            } else if (result.result() == null) {
                response.setStatusCode(400).end("{\"error\":\"window is 1h, 1d or 7d; samples need flow, destination and "
                        + "an outcome of " + String.join(", ", DeliveryStats.OUTCOMES) + "\"}");
            } else {
                response.setStatusCode(200).end(result.result().toString());
            }
        });
    }

    @Override
    protected void doStart() {
        stats.start();
    }

    @Override
    protected void doStop() {
        stats.stop();
    }
}
