package io.marketingbus.platform.ga4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identity;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.support.TrackedEvents;
import org.junit.jupiter.api.Test;

/** Which GA4 stream a tracked hit goes to, and what forwarding skips or refuses. */
class Ga4TrackedStreamsTest {

    final MeasurementProtocolRelay relay = new MeasurementProtocolRelay(Set.of("purchase"), Clock.systemUTC());

    @Test
    void aSourceHasItsOwnStreamElseTheCommonOne() {
        Ga4TrackedStreams streams = Ga4TrackedStreams.of("G-ALL", "all-secret", "app=G-APP:app-secret");

        assertThat(streams.forSource("app")).contains(new Ga4TrackedStreams.Stream("G-APP", "app-secret"));
        assertThat(streams.forSource("web")).contains(new Ga4TrackedStreams.Stream("G-ALL", "all-secret"));
        assertThat(streams.secretsByMeasurementId()).isEqualTo(Map.of("G-ALL", "all-secret", "G-APP", "app-secret"));
        assertThat(Ga4TrackedStreams.of("", "", "").forSource("web")).isEmpty();
    }

    @Test
    void aMalformedSettingIsRefusedWithoutRepeatingTheSecret() {
        assertThatThrownBy(() -> Ga4TrackedStreams.of("", "", "app=G-APP-no-secret-here"))
                .hasMessageContaining("tracking.ga4.streams").hasMessageNotContaining("G-APP");
        assertThatThrownBy(() -> Ga4TrackedStreams.of("G-ALL", "", "")).hasMessageContaining("tracking.ga4.api-secret");
    }

    @Test
    void forwardingSkipsIdentitiesAndSourcesWithoutAStreamAndNamesTheTrackedStream() {
        Ga4Forwarding forwarding = new Ga4Forwarding(relay, Ga4TrackedStreams.of("", "", "web=G-WEB:web-secret"));
        Instant now = Instant.now();
        CloudEvent web = TrackedEvents.hit("web", "m-1", "anon-1", null, now, "view_item", "Product Viewed", Map.of()).event();
        CloudEvent ios = TrackedEvents.hit("ios", "m-2", "anon-1", null, now, "view_item", "Product Viewed", Map.of()).event();
        CloudEvent identity = CloudEvent.of("seg-1", "/tracking/web", EventTypes.IDENTITY_IDENTIFIED, now.toString(),
                "k", EventData.identity(new Identity("u-1", null, null, null)));

        assertThat(forwarding.skipReason(web)).isNull();
        assertThat(forwarding.skipReason(ios)).contains("'ios'");
        assertThat(forwarding.skipReason(identity)).contains("identity event");
        CloudEvent screen = TrackedEvents.hit("web", "m-5", "anon-1", null, now, "screen_view", "Home", Map.of()).event();
        assertThat(forwarding.skipReason(screen)).as("an app screen is GA4's own event, not a dead letter")
                .contains("reserves screen_view");
        assertThat(forwarding.request(web).query()).isEqualTo("measurement_id=G-WEB");
        assertThat(forwarding.request(web).query()).doesNotContain("secret");
    }

    @Test
    void aTrackedHitGa4WouldDropIsRefusedWithGa4sReason() {
        Ga4Forwarding forwarding = new Ga4Forwarding(relay, Ga4TrackedStreams.of("G-ALL", "s", ""));
        Instant now = Instant.now();
        CloudEvent reserved = TrackedEvents.hit("web", "m-3", "anon-1", null, now, "session_start", "Session Started",
                Map.of()).event();
        CloudEvent old = TrackedEvents.hit("web", "m-4", "anon-1", null, now.minusSeconds(73 * 3600), "sign_up",
                "Signed Up", Map.of()).event();

        assertThatThrownBy(() -> forwarding.request(reserved)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("session_start");
        assertThatThrownBy(() -> forwarding.request(old)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("72 hours");
    }
}
