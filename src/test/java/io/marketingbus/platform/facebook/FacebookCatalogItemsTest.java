package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.support.Samples;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** The catalog batch rule: one items_batch call, its status polled until finished, per-item errors, rate limits. */
public class FacebookCatalogItemsTest {

    final FacebookCatalogItems rule = new FacebookCatalogItems(Duration.ofMillis(1), Duration.ofSeconds(5));
    final ObjectMapper mapper = new ObjectMapper();
    final List<PlatformRequest> calls = new ArrayList<>();

    public static PlatformRequest update(String id) {
        ObjectNode body = (ObjectNode) Samples.json("facebook-catalog-items-batch-request.json").deepCopy();
        ((ObjectNode) body.at("/requests/0/data")).put("id", id);
        return new PlatformRequest("POST", "/v25.0/1357924680135792/items_batch", null, body);
    }

    @Test
    void itemsShareOneCallOfAtMost5000AndOnlyTheItemMetaRefusesFails() throws Exception {
        List<PlatformRequest> parts = List.of(update("shop-example-com-SKU-123"), update("shop-example-com-SKU-124"),
                update("shop-example-com-SKU-125"));
        assertThat(rule.limit()).isEqualTo(5_000);
        assertThat(parts).allMatch(p -> rule.takes("direct:facebook-graph", p));
        assertThat(rule.group(parts.get(0))).isEqualTo(rule.group(parts.get(2)));

        List<RuntimeException> outcome = rule.send(parts, request -> {
            calls.add(request);
            if (request.method().equals("POST")) {
                return Samples.json("facebook-catalog-items-batch-response.json");
            }
            // Meta is still working on it at the first check
            return calls.size() == 2 ? mapper.readTree("{\"data\":[{\"status\":\"started\"}]}")
                    : Samples.json("facebook-catalog-batch-status-response.json");
        });

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).body().path("requests")).hasSize(3);
        assertThat(calls.get(1).method()).isEqualTo("GET");
        assertThat(calls.get(1).path()).isEqualTo("/v25.0/1357924680135792/check_batch_request_status");
        assertThat(calls.get(1).query()).isEqualTo("handle=AcxUi9a3kFrYyPhXk0_DqcL3Xe2jb8Jz");
        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class)
                .hasMessageContaining("shop-example-com-SKU-124").hasMessageContaining("Invalid URL for field link");
        assertThat(outcome.get(2)).isNull();
    }

    @Test
    void metasCatalogRateLimitIsA429SoTheDestinationPauses() {
        Map<String, String> headers = Map.of("X-Business-Use-Case-Usage",
                "{\"1357924680135792\":[{\"type\":\"catalog_batch\",\"call_count\":100,\"estimated_time_to_regain_access\":2}]}");
        BatchRule.Caller throttled = request -> {
            throw new HttpOperationFailedException("https://graph.facebook.com/v25.0/x/items_batch", 400, "Bad Request",
                    null, headers, "{\"error\":{\"message\":\"(#80014) There have been too many calls\",\"code\":80014}}");
        };

        assertThatThrownBy(() -> rule.send(List.of(update("a")), throttled)).satisfies(e -> {
            assertThat(DeliveryRetryPolicy.isRateLimited(e)).isTrue();
            assertThat(((HttpOperationFailedException) e).getResponseHeaders()).containsEntry("Retry-After", "120");
        });
        for (int code : new int[] {17, 613}) {
            assertThat(DeliveryRetryPolicy.isRateLimited(FacebookRateLimits.asRateLimit(new HttpOperationFailedException(
                    "u", 400, "Bad Request", null, Map.of(), "{\"error\":{\"code\":" + code + "}}")))).isTrue();
        }
        HttpOperationFailedException invalid = new HttpOperationFailedException("u", 400, "Bad Request", null, Map.of(),
                "{\"error\":{\"code\":100}}");
        assertThat(FacebookRateLimits.asRateLimit(invalid)).isSameAs(invalid);
    }

    @Test
    void aBatchMetaNeverFinishesFailsTheCallTransiently() {
        FacebookCatalogItems impatient = new FacebookCatalogItems(Duration.ofMillis(1), Duration.ofMillis(20));
        assertThatThrownBy(() -> impatient.send(List.of(update("a")), request -> request.method().equals("POST")
                ? Samples.json("facebook-catalog-items-batch-response.json")
                : mapper.readTree("{\"data\":[{\"status\":\"started\"}]}")))
                .isInstanceOf(java.io.IOException.class).satisfies(e -> assertThat(DeliveryRetryPolicy.isTransient(e)).isTrue());
    }

    @Test
    void anAnswerWithoutHandleIsARejection() {
        assertThatThrownBy(() -> rule.send(List.of(update("a")), request -> (JsonNode) mapper.createObjectNode()))
                .isInstanceOf(PlatformRejectedException.class);
    }
}
