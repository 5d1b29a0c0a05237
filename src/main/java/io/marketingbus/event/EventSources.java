package io.marketingbus.event;

/**
 * The CloudEvents {@code source} of each kind of event the bus writes. The spec makes {@code source} + {@code id}
 * unique per distinct event, and a consumer may drop a second event that repeats them; ids stay deterministic
 * (they are the idempotency keys), so each source owns its own id namespace:
 * <ul>
 * <li>{@code /mailchimp/lists/<list>}: contact events, {@code mc-<hash of type, fired_at, list, e-mail>};</li>
 * <li>{@code /hubspot/portals/<portal>} ({@code unknown} for the poller): deal changes,
 * {@code hs-deal-<id>-<created|updated>-<occurredAt>};</li>
 * <li>{@code /ga4/relay}: purchases as the site reported them, {@code ga4-<transaction_id>};</li>
 * <li>{@code /ga4/relay/hits}: relayed hits, {@code ga4-hit-<hash of the body>};</li>
 * <li>events the bus derives carry the source of the component that derived them, with their own ids or the
 * origin's: {@link #DEAL_ENRICHER} (opportunities, {@code hs-deal-<id>-<state>-c<contact>}) and
 * {@link #PURCHASE_RESOLVER} (conversions, {@code ga4-<transaction_id>}, the id GA4 reconciliation looks up).</li>
 * </ul>
 */
public final class EventSources {

    public static final String DEAL_ENRICHER = "/marketing-bus/deal-enricher";
    public static final String PURCHASE_RESOLVER = "/marketing-bus/purchase-resolver";

    private EventSources() {
    }
}
