package io.marketingbus.api.tracking;

import java.time.Duration;
import java.util.List;

import io.marketingbus.config.Settings;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.StoreState;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ops.DeliveryRecords;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Segment-compatible tracking API (docs/api.md) as a source, described like a platform: its settings, its
 * beans and its route file (routes/ingress/tracking-api.camel.yaml). It calls no API, so nothing is required in
 * prod; without {@code tracking.write-keys} every call is refused (401).
 */
public final class TrackingPlatform implements PlatformDescriptor {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingPlatform.class);

    @Override
    public String name() {
        return "tracking";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.secret("tracking.write-keys", "dev: `web=" + WriteKeys.DEV_KEY + "`",
                        "write keys of the tracking API, `<source>=<key>`, comma-separated (two for one source during a rotation); the source becomes the events' `/tracking/<source>`; unset in prod: every call is refused"),
                Setting.of("tracking.rate-limit.per-second", "`1000`", "calls per second of a write key, per instance"),
                Setting.of("tracking.rate-limit.burst", "`2000`", "calls a write key may send at once above the rate"),
                Setting.of("tracking.cors.allowed-origins", "dev: `*`; prod: none",
                        "web pages (origins, comma-separated, or `*`) whose browser may call the tracking API"),
                Setting.of("tracking.event-time.max-age-ms", "`2592000000`",
                        "oldest tracked event accepted (30 days: mobile libraries send what they queued offline)"),
                Setting.of("tracking.purchase-event", "`Order Completed`", "the `track` event that is a purchase"),
                Setting.of("tracking.dedup.capacity", "`100000`", "message ids an instance remembers to answer retries"),
                Setting.of("tracking.plan.dir", "*(none)*", "folder of JSON Schemas, one per `track` event (the tracking plan)"),
                Setting.of("tracking.plan.modes", "*(none)*", "per source `<source>=<mode>`, comma-separated, the mode `allow` (default), `flag` or `block`"),
                Setting.of("tracking.plan.unplanned", "`allow`", "an event without a schema, for a source in flag or block mode: `allow` or `block`"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of();
    }

    @Override
    public String routeFile() {
        return "classpath:routes/ingress/tracking-api.camel.yaml";
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        String keys = settings.get("tracking.write-keys", "");
        if (keys.isBlank() && setup.sandboxed()) {
            keys = setup.defaultSetting("tracking.write-keys", WriteKeys.DEV_SETTING);
        }
        WriteKeys writeKeys = WriteKeys.forProfile("tracking.write-keys", keys, setup.sandboxed());
        if (writeKeys.isEmpty()) {
            LOG.info("Tracking API calls are refused: tracking.write-keys (TRACKING_WRITE_KEYS) is not set");
        }
        EventTimeWindow window = setup.bean(EventTimeWindow.class);
        EventCodec codec = setup.codec();
        setup.bind(new SegmentTranslator(codec, settings.get("tracking.purchase-event", "Order Completed"),
                StoreState.start(setup.context(), settings, "tracking")));
        setup.bind(new TrackingApi(writeKeys,
                new TrackingRateLimit(Double.parseDouble(settings.get("tracking.rate-limit.per-second", "1000")),
                        Double.parseDouble(settings.get("tracking.rate-limit.burst", "2000")), setup.clock()),
                new TrackingCors(setup.csv("tracking.cors.allowed-origins", setup.sandboxed() ? "*" : "")),
                TrackingPlan.load(settings.get("tracking.plan.dir", ""), settings.get("tracking.plan.modes", ""),
                        settings.get("tracking.plan.unplanned", "allow")),
                new RecentMessageIds(Integer.parseInt(settings.get("tracking.dedup.capacity", "100000"))),
                setup.bean(SegmentTranslator.class),
                new EventTimeWindow(Duration.ofMillis(Long.parseLong(settings.get("tracking.event-time.max-age-ms",
                        "2592000000"))), window.maxFuture(), setup.clock()),
                setup.bean(IngressResponses.class), setup.bean(DeliveryRecords.class), setup.clock()));
    }
}
