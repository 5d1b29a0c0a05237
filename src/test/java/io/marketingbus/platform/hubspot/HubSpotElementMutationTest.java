package io.marketingbus.platform.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation test of a signed HubSpot batch (issue 11, item 8): each field of one element removed, null or of another
 * JSON type. The answer is never a 5xx (HubSpot would retry the whole batch forever) and the good siblings reach
 * marketing.deal-changes every time.
 */
class HubSpotElementMutationTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void noMutationOfOneElementFailsTheBatchOrItsSiblings() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of())) {
            long now = System.currentTimeMillis();
            ObjectNode base = MAPPER.createObjectNode().put("eventId", 3816279340L).put("subscriptionId", 2345678)
                    .put("portalId", 62515).put("appId", 1160452).put("occurredAt", now)
                    .put("subscriptionType", "deal.propertyChange").put("attemptNumber", 0).put("objectId", 18204751234L)
                    .put("propertyName", "dealstage").put("propertyValue", "closedwon").put("changeSource", "CRM_UI")
                    .put("sourceId", "userId:1293843").put("objectTypeId", "0-3");
            Map<String, Consumer<ObjectNode>> mutations = new LinkedHashMap<>();
            List<String> fields = new ArrayList<>();
            base.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                mutations.put(field + " removed", e -> e.remove(field));
                mutations.put(field + " null", e -> e.putNull(field));
                mutations.put(field + " text", e -> e.put(field, "x"));
                mutations.put(field + " empty text", e -> e.put(field, ""));
                mutations.put(field + " fraction", e -> e.put(field, 1.5));
                mutations.put(field + " negative", e -> e.put(field, -1));
                mutations.put(field + " huge", e -> e.put(field, new java.math.BigInteger("9".repeat(30))));
                mutations.put(field + " boolean", e -> e.put(field, true));
                mutations.put(field + " object", e -> e.putObject(field).put("a", 1));
                mutations.put(field + " array", e -> e.putArray(field).add(1));
            }
            List<String> siblings = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            long deal = 900_000;
            for (Map.Entry<String, Consumer<ObjectNode>> mutation : mutations.entrySet()) {
                ObjectNode mutated = base.deepCopy();
                mutation.getValue().accept(mutated);
                ArrayNode batch = MAPPER.createArrayNode();
                long creation = ++deal;
                long change = ++deal;
                batch.add(base.deepCopy().put("subscriptionType", "deal.creation").put("objectId", creation).without("propertyName"));
                batch.add(mutated);
                batch.add(base.deepCopy().put("objectId", change));
                siblings.add("hs-deal-" + creation + "-created-" + now);
                siblings.add("hs-deal-" + change + "-updated-" + now);
                HttpResponse<String> response = post(bus, batch.toString());
                if (response.statusCode() >= 500 || (response.statusCode() != 200 && response.statusCode() != 400)) {
                    wrong.add(mutation.getKey() + " → " + response.statusCode() + " " + response.body());
                }
            }
            for (String element : List.of("null", "\"x\"", "[]", "1", "{}")) {
                HttpResponse<String> response = post(bus, "[" + element + "]");
                if (response.statusCode() != 400) {
                    wrong.add("element " + element + " → " + response.statusCode() + " " + response.body());
                }
            }
            assertThat(wrong).as("mutations answered other than 200 or 400").isEmpty();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String onBus = String.join("\n", Topics.readAll(bus.bootstrapServers(), "marketing.deal-changes").stream()
                        .map(Topics::value).toList());
                assertThat(siblings).allSatisfy(id -> assertThat(onBus).contains("\"id\":\"" + id + "\""));
            });
            System.out.printf("HubSpot mutations: %d batches, every sibling on the bus%n", mutations.size());
        }
    }

    static HttpResponse<String> post(RunningBus bus, String body) throws Exception {
        HubSpotSignatureVerifier signer = new HubSpotSignatureVerifier("sandbox", Clock.systemUTC());
        String ts = String.valueOf(System.currentTimeMillis());
        String url = bus.context().resolvePropertyPlaceholders("{{hubspot.webhook-url}}");
        return bus.post("/webhooks/hubspot", "application/json", body, Map.of("X-HubSpot-Request-Timestamp", ts,
                "X-HubSpot-Signature-v3", signer.sign("POST", url, body.getBytes(StandardCharsets.UTF_8), ts)));
    }
}
