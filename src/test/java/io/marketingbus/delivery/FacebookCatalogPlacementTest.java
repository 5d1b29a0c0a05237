package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.marketingbus.platform.facebook.FacebookCatalogItems;
import io.marketingbus.platform.facebook.FacebookCatalogItemsTest;
import org.junit.jupiter.api.Test;

/** More than 5,000 catalog items in one polled batch go out as calls of at most 5,000 (Meta's items_batch limit). */
class FacebookCatalogPlacementTest {

    @Test
    void fiveThousandAndOneItemsAreTwoCalls() {
        List<BatchCalls.Pending> pending = new ArrayList<>();
        BatchCalls calls = new BatchCalls(new org.apache.camel.impl.DefaultCamelContext(),
                List.of(new FacebookCatalogItems(Duration.ofMillis(1), Duration.ofSeconds(1))), null, null, 1,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        for (int i = 0; i < 5_001; i++) {
            new BatchItem("item-" + i, new byte[0], Map.of(), pending, new HashSet<>())
                    .enlist("direct:facebook-graph", FacebookCatalogItemsTest.update("SKU-" + i));
        }

        List<BatchCalls.Call> placed = calls.place(pending);

        assertThat(placed).extracting(c -> c.parts.size()).containsExactly(5_000, 1);
        assertThat(placed.get(0).rule).isInstanceOf(FacebookCatalogItems.class);
    }
}
