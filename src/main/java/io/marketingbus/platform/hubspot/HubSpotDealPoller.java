package io.marketingbus.platform.hubspot;

import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.PollWatermark;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.platform.hubspot.HubSpotDealTranslator;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HubSpot deal poller, for portals without webhooks (docs/platforms/hubspot.md §7, "Polling recipe"). Each run
 * searches the deals modified in [watermark − overlap, now), pages 200 at a time, halves the window while the
 * search reports more than HubSpot's 10,000-result cap, and only then advances the watermark. The watermark lives
 * in the compacted state topic, so it survives restarts and every instance shares it. The overlap covers
 * HubSpot's search-index lag; deals seen twice make the same event ids and are delivered once.
 */
public final class HubSpotDealPoller {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotDealPoller.class);
    static final String WATERMARK_KEY = "hubspot.deals.poll-watermark";
    static final String FROM = PollWatermark.FROM;
    static final String TO = PollWatermark.TO;
    static final String AFTER = "pollAfter";
    static final String MORE = PollWatermark.MORE;
    static final String FOUND = PollWatermark.FOUND;
    /** Deals of this page that could not become a deal change, each with its reason, for the ingress dead letters. */
    public static final String REJECTED = PollWatermark.REJECTED;

    private final HubSpotDealTranslator translator;
    private final EventCodec codec;
    private final PollWatermark watermark;
    private final Duration maxFuture;
    private final Clock clock;

    /** @param maxFuture how far past the search window a deal's date may be (clock skew) */
    public HubSpotDealPoller(HubSpotDealTranslator translator, EventCodec codec, String bootstrapServers,
                             String stateTopic, Duration overlap, Duration initialLookback, Duration maxFuture, Clock clock) {
        this.translator = translator;
        this.codec = codec;
        this.watermark = new PollWatermark(WATERMARK_KEY, bootstrapServers, stateTopic, overlap, initialLookback);
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /** Opens this run's window from the shared watermark. */
    public void startWindow(Exchange exchange) {
        long now = clock.millis();
        long from = watermark.windowFrom(now);
        exchange.setProperty(FROM, from);
        exchange.setProperty(TO, now);
        exchange.setProperty(AFTER, "0");
        exchange.setProperty(MORE, true);
        exchange.setProperty(FOUND, 0);
    }

    public PlatformRequest searchRequest(Exchange exchange) {
        return translator.searchRequest(exchange.getProperty(FROM, Long.class), exchange.getProperty(TO, Long.class),
                exchange.getProperty(AFTER, String.class));
    }

    /**
     * Reads one page: the deal changes found become the body. A window holding more than the search cap is halved
     * and searched again from its first page.
     */
    public List<BusRecord> readPage(Exchange exchange) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        long from = exchange.getProperty(FROM, Long.class);
        long to = exchange.getProperty(TO, Long.class);
        if (page.path("total").asInt(0) > HubSpotDealTranslator.SEARCH_MAX_RESULTS && to - from > 1) {
            exchange.setProperty(TO, from + (to - from) / 2);
            exchange.setProperty(AFTER, "0");
            return List.of();
        }
        List<BusRecord> records = new ArrayList<>();
        List<HubSpotIngress.Rejected> rejected = new ArrayList<>();
        for (JsonNode deal : page.path("results")) {
            // one unreadable deal is dead-lettered alone: it must not stop the poll (and the watermark) for good
            try {
                CloudEvent change = translator.polledChange(deal, from);
                Instant occurredAt = Instant.parse(change.time());
                if (occurredAt.isBefore(Instant.ofEpochMilli(from)) || occurredAt.isAfter(Instant.ofEpochMilli(to).plus(maxFuture))) {
                    rejected.add(new HubSpotIngress.Rejected("deal date " + occurredAt + " is outside the searched window "
                            + Instant.ofEpochMilli(from) + " to " + Instant.ofEpochMilli(to), deal.toString()));
                    continue;
                }
                BusRecord record = new BusRecord(change.subject(), codec.toJson(change));
                IngressExchange.checkSize(record);
                records.add(record);
            } catch (RuntimeException e) {
                rejected.add(new HubSpotIngress.Rejected("deal cannot be read: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage(), deal.toString()));
            }
        }
        if (!rejected.isEmpty()) {
            LOG.warn("HubSpot deal poll: {} deal(s) cannot be read, kept in the ingress dead-letter topic", rejected.size());
        }
        exchange.setProperty(REJECTED, rejected);
        exchange.setProperty(FOUND, exchange.getProperty(FOUND, 0, Integer.class) + records.size());
        String next = page.path("paging").path("next").path("after").asText(null);
        if (next != null && !next.isEmpty()) {
            exchange.setProperty(AFTER, next);
        } else {
            exchange.setProperty(MORE, false);
        }
        return records;
    }

    /** For the splitter over a page's rejected deals: one ingress dead letter each, with its reason. */
    public void prepareRejected(Exchange exchange) {
        HubSpotIngress.Rejected deal = exchange.getMessage().getBody(HubSpotIngress.Rejected.class);
        PollWatermark.prepareRejected(exchange, "hubspot", deal.reason(), deal.element());
    }

    /** After every page went onto the bus: the new watermark, as the state topic's record. */
    public void prepareWatermark(Exchange exchange) {
        long to = exchange.getProperty(TO, Long.class);
        watermark.prepareRecord(exchange);
        LOG.info("HubSpot deal poll: {} deal change(s) in [{}, {}), watermark now {}", exchange.getProperty(FOUND),
                java.time.Instant.ofEpochMilli(exchange.getProperty(FROM, Long.class)), java.time.Instant.ofEpochMilli(to),
                java.time.Instant.ofEpochMilli(to));
    }
}
