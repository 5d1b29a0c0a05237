package io.marketingbus.platform.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.PollWatermark;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce opportunity poller (docs/platforms/salesforce.md §6; routes/ingress/salesforce-opportunities-poll.camel.yaml):
 * each run queries the Opportunities whose {@code SystemModstamp} is in [watermark − overlap, now) (whole seconds:
 * SOQL dateTime literals have none), follows {@code nextRecordsUrl} page by page, publishes one opportunity event
 * per contact role, and only then moves the watermark. The watermark lives in the compacted state topic, so it
 * survives restarts and every instance shares it; changes seen twice make the same event ids and are delivered once.
 */
public final class SalesforceOpportunityPoller {

    static final String FROM = PollWatermark.FROM;
    static final String TO = PollWatermark.TO;
    static final String MORE = PollWatermark.MORE;
    static final String FOUND = PollWatermark.FOUND;
    public static final String REJECTED = PollWatermark.REJECTED;

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceOpportunityPoller.class);
    static final String WATERMARK_KEY = "salesforce.opportunities.poll-watermark";
    static final String NEXT = "pollNext";

    /** An opportunity that could not become events, with the reason, for the ingress dead letters. */
    public record Rejected(String reason, String element) {
    }

    private final SalesforceOpportunityTranslator translator;
    private final EventCodec codec;
    private final PollWatermark watermark;
    private final Clock clock;

    public SalesforceOpportunityPoller(SalesforceOpportunityTranslator translator, EventCodec codec,
                                       String bootstrapServers, String stateTopic, Duration overlap,
                                       Duration initialLookback, Clock clock) {
        this.translator = translator;
        this.codec = codec;
        this.watermark = new PollWatermark(WATERMARK_KEY, bootstrapServers, stateTopic, overlap, initialLookback);
        this.clock = clock;
    }

    /** Opens this run's window from the shared watermark. */
    public void startWindow(Exchange exchange) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = Instant.ofEpochMilli(watermark.windowFrom(now.toEpochMilli())).truncatedTo(ChronoUnit.SECONDS);
        exchange.setProperty(FROM, from.toEpochMilli());
        exchange.setProperty(TO, now.toEpochMilli());
        exchange.setProperty(NEXT, null);
        exchange.setProperty(MORE, true);
        exchange.setProperty(FOUND, 0);
    }

    public PlatformRequest queryRequest(Exchange exchange) {
        String next = exchange.getProperty(NEXT, String.class);
        return next != null ? translator.queryMore(next) : translator.query(translator.soql(
                Instant.ofEpochMilli(exchange.getProperty(FROM, Long.class)), Instant.ofEpochMilli(exchange.getProperty(TO, Long.class))));
    }

    /** One page of the query result: its events become the body; the next page's URL is kept. */
    public List<BusRecord> readPage(Exchange exchange) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        List<BusRecord> records = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (JsonNode opportunity : page.path("records")) {
            try {
                for (CloudEvent event : translator.toOpportunities(opportunity)) {
                    BusRecord record = new BusRecord(event.subject(), codec.toJson(event));
                    IngressExchange.checkSize(record);
                    records.add(record);
                }
            } catch (RuntimeException e) {
                rejected.add(new Rejected("opportunity cannot be read: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage(), opportunity.toString()));
            }
        }
        if (!rejected.isEmpty()) {
            LOG.warn("Salesforce opportunity poll: {} opportunit(ies) cannot be read, kept in the ingress dead-letter topic", rejected.size());
        }
        exchange.setProperty(REJECTED, rejected);
        exchange.setProperty(FOUND, exchange.getProperty(FOUND, 0, Integer.class) + records.size());
        String next = page.path("nextRecordsUrl").asText(null);
        boolean done = page.path("done").asBoolean(true) || next == null;
        exchange.setProperty(NEXT, done ? null : next);
        exchange.setProperty(MORE, !done);
        return records;
    }

    /** For the splitter over a page's rejected opportunities: one ingress dead letter each, with its reason. */
    public void prepareRejected(Exchange exchange) {
        Rejected opportunity = exchange.getMessage().getBody(Rejected.class);
        PollWatermark.prepareRejected(exchange, "salesforce", opportunity.reason(), opportunity.element());
    }

    /** After every page went onto the bus: the new watermark, as the state topic's record. */
    public void prepareWatermark(Exchange exchange) {
        long to = exchange.getProperty(TO, Long.class);
        watermark.prepareRecord(exchange);
        LOG.info("Salesforce opportunity poll: {} opportunity event(s) in [{}, {}), watermark now {}", exchange.getProperty(FOUND),
                Instant.ofEpochMilli(exchange.getProperty(FROM, Long.class)), Instant.ofEpochMilli(to), Instant.ofEpochMilli(to));
    }
}
