package io.marketingbus.platform.ga4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRequest;
import org.junit.jupiter.api.Test;

/** GA4 hits merge only for the same user and context, up to 25 events per hit. */
class Ga4CollectBatchTest {

    final ObjectMapper mapper = new ObjectMapper();
    final Ga4CollectBatch rule = new Ga4CollectBatch();

    PlatformRequest hit(String json) throws Exception {
        return new PlatformRequest("POST", "/mp/collect", null, mapper.readTree(json));
    }

    @Test
    void hitsOfOneClientMergeTheirEventsAndOtherClientsStayApart() throws Exception {
        PlatformRequest one = hit("{\"client_id\":\"1.1\",\"events\":[{\"name\":\"page_view\"}]}");
        PlatformRequest two = hit("{\"client_id\":\"1.1\",\"events\":[{\"name\":\"scroll\"},{\"name\":\"click\"}]}");
        PlatformRequest other = hit("{\"client_id\":\"2.2\",\"events\":[{\"name\":\"page_view\"}]}");
        PlatformRequest sameClientOtherUser = hit("{\"client_id\":\"1.1\",\"user_id\":\"u9\",\"events\":[{\"name\":\"x\"}]}");

        assertThat(rule.takes("direct:ga4-collect", one)).isTrue();
        assertThat(rule.limit()).isEqualTo(25);
        assertThat(rule.weight(two)).isEqualTo(2);
        assertThat(rule.group(one)).isEqualTo(rule.group(two));
        assertThat(rule.group(one)).isNotEqualTo(rule.group(other)).isNotEqualTo(rule.group(sameClientOtherUser));
        assertThat(rule.merge(List.of(one, two)).body().toString())
                .isEqualTo("{\"client_id\":\"1.1\",\"events\":[{\"name\":\"page_view\"},{\"name\":\"scroll\"},{\"name\":\"click\"}]}");
    }
}
