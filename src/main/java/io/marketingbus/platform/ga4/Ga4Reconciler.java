package io.marketingbus.platform.ga4;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.delivery.PurchaseLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 3's reconciliation (docs/platforms/ga4.md §5–§6): asks the GA4 Data API which purchases GA4 counted in the
 * last days ({@code runReport}, transactionId), and checks each against the transactions the bus delivered to
 * HubSpot. The share delivered is the sync accuracy, published as {@code marketing_bus_ga4_sync_accuracy} and
 * logged with the missing transaction ids. Pages of 10,000 rows; paging stops early when the property's hourly
 * token quota runs low, and the run says so.
 */
public final class Ga4Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Ga4Reconciler.class);
    static final int PAGE = 10_000;
    static final String OFFSET = "reconcileOffset";
    static final String SEEN = "reconcileSeen";
    static final String MORE = "reconcileMore";

    /** One reconciliation's outcome. */
    public record Result(int counted, int delivered, List<String> missing, double accuracy, boolean complete) {
    }

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String propertyId;
    private final int days;
    private final int minTokensPerHour;
    /** The reconciliation's result, a gauge; like every marketing_bus_* family, with its description. */
    public static final String SYNC_ACCURACY = "marketing_bus_ga4_sync_accuracy";

    /** Whether the bus delivered the order with this transaction id. */
    private final Predicate<String> delivered;
    private final AtomicReference<Result> last = new AtomicReference<>();

    /**
     * @param delivered whether the bus delivered the order with a transaction id: GA4's copy delivered to the CRM,
     *                  or the order counted from another source (its store) first (see {@link #deliveredOrder})
     */
    public Ga4Reconciler(String propertyId, int days, int minTokensPerHour, Predicate<String> delivered,
                         MeterRegistry meters) {
        this.propertyId = propertyId;
        this.days = days;
        this.minTokensPerHour = minTokensPerHour;
        this.delivered = delivered;
        Gauge.builder(SYNC_ACCURACY, last, r -> r.get() == null ? Double.NaN : r.get().accuracy())
                .description("share of the purchases GA4 counted that the bus delivered to HubSpot (0..1; NaN before "
                        + "the first reconciliation)")
                .register(meters);
    }

    /**
     * An order is delivered when GA4's own copy reached the CRM ({@code ga4-<transaction id>} among the CRM delivery's
     * ids) or when flow 3 counted the order from any source: a store's copy arrives first as often as not, and GA4's
     * copy is then skipped as a duplicate (docs/design.md, "Cross-source dedup").
     */
    public static Predicate<String> deliveredOrder(DeliveredEvents delivered, String crmDeliveredTopic,
                                                   String purchaseLedgerTopic) {
        return transactionId -> delivered.contains(crmDeliveredTopic, "ga4-" + transactionId)
                || PurchaseLedger.isCounted(delivered, purchaseLedgerTopic, transactionId);
    }

    public void start(Exchange exchange) {
        exchange.setProperty(OFFSET, 0);
        exchange.setProperty(SEEN, new LinkedHashSet<String>());
        exchange.setProperty(MORE, true);
    }

    /** {@code POST /v1beta/properties/{id}:runReport}: purchases by transaction id over the window. */
    public PlatformRequest reportRequest(Exchange exchange) {
        ObjectNode body = json.objectNode();
        body.putArray("dateRanges").addObject().put("startDate", days + "daysAgo").put("endDate", "today");
        body.putArray("dimensions").addObject().put("name", "transactionId");
        body.putArray("metrics").addObject().put("name", "purchaseRevenue");
        ObjectNode filter = body.putObject("dimensionFilter").putObject("filter");
        filter.put("fieldName", "eventName");
        filter.putObject("stringFilter").put("matchType", "EXACT").put("value", "purchase");
        body.put("limit", String.valueOf(PAGE));
        body.put("offset", String.valueOf(exchange.getProperty(OFFSET, 0, Integer.class)));
        body.put("returnPropertyQuota", true);
        return new PlatformRequest("POST", "/v1beta/properties/" + propertyId + ":runReport", null, body);
    }

    public void readPage(Exchange exchange) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        @SuppressWarnings("unchecked")
        Set<String> seen = exchange.getProperty(SEEN, Set.class);
        for (JsonNode row : page.path("rows")) {
            String id = row.path("dimensionValues").path(0).path("value").asText("");
            if (!id.isEmpty() && !"(not set)".equals(id)) {
                seen.add(id);
            }
        }
        int offset = exchange.getProperty(OFFSET, 0, Integer.class) + PAGE;
        exchange.setProperty(OFFSET, offset);
        int remaining = page.path("propertyQuota").path("tokensPerHour").path("remaining").asInt(Integer.MAX_VALUE);
        boolean more = offset < page.path("rowCount").asInt(0);
        if (more && remaining < minTokensPerHour) {
            LOG.warn("GA4 reconciliation stops early: {} tokens left this hour (keeping {} in reserve)", remaining,
                    minTokensPerHour);
            exchange.setProperty("reconcileIncomplete", true);
            more = false;
        }
        exchange.setProperty(MORE, more);
    }

    public Result finish(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Set<String> seen = exchange.getProperty(SEEN, Set.class);
        List<String> missing = new ArrayList<>();
        for (String transactionId : seen) {
            if (!delivered.test(transactionId)) {
                missing.add(transactionId);
            }
        }
        int counted = seen.size();
        double accuracy = counted == 0 ? 1.0 : (counted - missing.size()) / (double) counted;
        Result result = new Result(counted, counted - missing.size(), List.copyOf(missing), accuracy,
                !exchange.getProperty("reconcileIncomplete", false, Boolean.class));
        last.set(result);
        LOG.info("GA4 sync accuracy {}%: {} of {} purchases GA4 counted in the last {} days were delivered{}{}",
                String.format("%.1f", accuracy * 100), result.delivered(), counted, days,
                missing.isEmpty() ? "" : "; missing transaction ids: " + String.join(", ", missing),
                result.complete() ? "" : " (incomplete: quota)");
        return result;
    }

    public Result last() {
        return last.get();
    }
}
