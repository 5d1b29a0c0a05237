package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The sandbox's Conversions API takes the sample Purchase and refuses what Meta requires of a web Purchase. */
class FacebookSandboxPurchaseTest {

    final FacebookSandbox sandbox = new FacebookSandbox("sandbox-facebook", "v25.0", Set.of("1"), "1234567890", "",
            Clock.fixed(FacebookPurchaseTranslatorTest.ORDERED.plusSeconds(60), ZoneOffset.UTC));

    int post(ObjectNode body) {
        return sandbox.handle(new SandboxRequest("POST", "/v25.0/1234567890/events", Map.of(),
                Map.of("authorization", "Bearer sandbox-facebook", "content-type", "application/json"),
                body.toString().getBytes(StandardCharsets.UTF_8))).status();
    }

    ObjectNode sample() {
        return (ObjectNode) Samples.json("facebook-capi-purchase-request.json").deepCopy();
    }

    @Test
    void theSamplePurchaseIsTakenAndOneWithoutValueOrUserAgentIsNot() {
        assertThat(post(sample())).isEqualTo(200);

        ObjectNode noValue = sample();
        ((ObjectNode) noValue.at("/data/0/custom_data")).remove("value");
        assertThat(post(noValue)).isEqualTo(400);

        ObjectNode noAgent = sample();
        ((ObjectNode) noAgent.at("/data/0/user_data")).remove("client_user_agent");
        assertThat(post(noAgent)).isEqualTo(400);

        assertThat(sandbox.state("events")).hasSize(1);
    }
}
