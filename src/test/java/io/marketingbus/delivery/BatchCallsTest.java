package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.platform.hubspot.HubSpotBatchUpsert;
import org.junit.jupiter.api.Test;

/** Placement of a batch's requests into calls: limits, one contact per call, each contact's order kept. */
class BatchCallsTest {

    final List<BatchCalls.Pending> pending = new ArrayList<>();
    final BatchCalls calls = new BatchCalls(new org.apache.camel.impl.DefaultCamelContext(),
            List.of(new HubSpotBatchUpsert()), null, null, 1, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

    BatchItem item(String contact) {
        return new BatchItem(contact, new byte[0], Map.of(), pending, new HashSet<>());
    }

    static PlatformRequest upsert(String email) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("inputs").addObject().put("idProperty", "email").put("id", email);
        return new PlatformRequest("POST", "/crm/v3/objects/contacts/batch/upsert", null, body);
    }

    @Test
    void upsertsShareCallsOfAtMost100AndOtherRequestsGoAlone() {
        for (int i = 0; i < 250; i++) {
            item("c" + i).enlist("direct:hubspot-crm", upsert("c" + i + "@example.com"));
        }
        item("c999").enlist("direct:hubspot-crm", new PlatformRequest("PATCH", "/crm/v3/objects/contacts/x", "idProperty=email", null));

        List<BatchCalls.Call> placed = calls.place(pending);

        assertThat(placed).extracting(c -> c.parts.size()).containsExactly(100, 100, 50, 1);
        assertThat(placed).allMatch(c -> c.level == 0);
    }

    @Test
    void aContactsLaterRequestGoesInALaterLevelSoItsOrderHolds() {
        BatchItem first = item("ana");
        first.enlist("direct:hubspot-crm", upsert("ana@example.com"));
        item("ben").enlist("direct:hubspot-crm", upsert("ben@example.com"));
        BatchItem again = item("ana");
        again.enlist("direct:hubspot-crm", upsert("ana@example.com"));
        item("cleo").enlist("direct:hubspot-crm", upsert("cleo@example.com"));
        BatchItem third = item("ana");
        third.enlist("direct:hubspot-crm", upsert("ana@example.com"));

        List<BatchCalls.Call> placed = calls.place(pending);

        assertThat(placed).hasSize(3);
        assertThat(placed.get(0).level).isEqualTo(0);
        assertThat(placed.get(0).parts).extracting(p -> p.item().key()).containsExactly("ana", "ben", "cleo");
        assertThat(placed.get(1).level).isEqualTo(1);
        assertThat(placed.get(1).parts).extracting(BatchCalls.Pending::item).containsExactly(again);
        assertThat(placed.get(2).level).isEqualTo(2);
        assertThat(placed.get(2).parts).extracting(BatchCalls.Pending::item).containsExactly(third);
    }

    @Test
    void twoRequestsOfOneEventKeepTheirOrderAcrossDifferentApis() {
        BatchItem event = item("ana");
        event.enlist("direct:mailchimp-marketing", new PlatformRequest("PUT", "/lists/1/members/x", null, null));
        event.enlist("direct:mailchimp-marketing", new PlatformRequest("POST", "/lists/1/members/x/tags", null, null));

        List<BatchCalls.Call> placed = calls.place(pending);

        assertThat(placed).extracting(c -> c.level).containsExactly(0, 1);
    }

    @Test
    void requestsOfAnEventItsOwnRouteDeadLetteredAreNotSent() throws Exception {
        BatchItem parked = item("ana");
        parked.enlist("direct:hubspot-crm", upsert("ana@example.com"));
        parked.withdraw();

        // nothing is left to send: a send would fail, this context has no routes
        calls.flush("hubspot", pending);

        assertThat(parked.failed()).isFalse();
    }
}
