package io.marketingbus.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StreamFilterTest {

    final ObjectMapper mapper = new ObjectMapper();

    ObjectNode event(String type, String source) {
        return mapper.createObjectNode().put("kind", "event").put("type", type).put("source", source);
    }

    ObjectNode outcome(String type, String stage, String outcome) {
        return mapper.createObjectNode().put("kind", "outcome").put("type", type).put("source", "/mailchimp")
                .put("stage", stage).put("outcome", outcome);
    }

    static StreamFilter filter(String... pairs) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return StreamFilter.parse(parameters);
    }

    @Test
    void noParametersLetEverythingThrough() {
        StreamFilter all = filter();
        assertThat(all.matches(event("marketing.contact.subscribed", "/mailchimp"))).isTrue();
        assertThat(all.matches(outcome("x", "hubspot", "delivered"))).isTrue();
    }

    @Test
    void typeIsExactOrAPrefixEndingInAStar() {
        StreamFilter exact = filter("type", "marketing.contact.subscribed");
        assertThat(exact.matches(event("marketing.contact.subscribed", "/m"))).isTrue();
        assertThat(exact.matches(event("marketing.contact.subscribed.v2", "/m"))).isFalse();
        assertThat(exact.matches(event("marketing.contact.unsubscribed", "/m"))).isFalse();

        StreamFilter prefix = filter("type", "marketing.contact.*,marketing.purchase.received");
        assertThat(prefix.matches(event("marketing.contact.unsubscribed", "/m"))).isTrue();
        assertThat(prefix.matches(event("marketing.purchase.received", "/m"))).isTrue();
        assertThat(prefix.matches(event("marketing.analytics.hit", "/m"))).isFalse();
        assertThat(prefix.matches(outcome("marketing.contact.subscribed", "hubspot", "delivered"))).isTrue();
    }

    @Test
    void sourceIsAPrefix() {
        StreamFilter filter = filter("source", "/tracking/,/shopify");
        assertThat(filter.matches(event("t", "/tracking/web"))).isTrue();
        assertThat(filter.matches(event("t", "/shopify/shop-1"))).isTrue();
        assertThat(filter.matches(event("t", "/mailchimp"))).isFalse();
        assertThat(filter.matches(mapper.createObjectNode().put("kind", "event").put("type", "t")))
                .as("no source").isFalse();
    }

    @Test
    void destinationAndOutcomeSelectOutcomeFramesOnly() {
        StreamFilter filter = filter("destination", "hubspot", "outcome", "delivered", "outcome", "dead-lettered");
        assertThat(filter.matches(outcome("t", "hubspot", "delivered"))).isTrue();
        assertThat(filter.matches(outcome("t", "hubspot", "dead-lettered"))).isTrue();
        assertThat(filter.matches(outcome("t", "hubspot", "retried"))).isFalse();
        assertThat(filter.matches(outcome("t", "loyalty", "delivered"))).isFalse();
        assertThat(filter.matches(event("t", "/m"))).isFalse();
        assertThat(filter("destination", "ingress:*").matches(outcome("t", "ingress:mailchimp", "accepted"))).isTrue();
    }

    @Test
    void kindPicksEventsOrOutcomes() {
        assertThat(filter("kind", "events").matches(event("t", "/m"))).isTrue();
        assertThat(filter("kind", "events").matches(outcome("t", "hubspot", "delivered"))).isFalse();
        assertThat(filter("kind", "outcomes").matches(outcome("t", "hubspot", "delivered"))).isTrue();
    }

    @Test
    void controlFramesAlwaysPass() {
        StreamFilter filter = filter("kind", "events", "type", "nothing");
        assertThat(filter.matches(mapper.createObjectNode().put("kind", "dropped").put("count", 3))).isTrue();
    }

    @Test
    void unknownParametersAndValuesAreRefused() {
        assertThatThrownBy(() -> filter("token", "abc")).isInstanceOf(StreamFilter.BadFilterException.class)
                .hasMessageContaining("unknown parameter 'token'");
        assertThatThrownBy(() -> filter("outcome", "skipped")).hasMessageContaining("unknown outcome 'skipped'");
        assertThatThrownBy(() -> filter("kind", "all")).hasMessageContaining("unknown kind 'all'");
    }
}
