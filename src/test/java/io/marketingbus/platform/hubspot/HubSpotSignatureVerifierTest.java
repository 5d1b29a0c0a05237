package io.marketingbus.platform.hubspot;

import io.marketingbus.ingress.WebhookRejectedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class HubSpotSignatureVerifierTest {

    final JsonNode vector = Samples.vectors().at("/signatures/hubspot_v3");
    final byte[] body = Samples.text(vector.get("file").asText()).getBytes(StandardCharsets.UTF_8);
    final String timestamp = vector.get("X-HubSpot-Request-Timestamp").asText();
    final String uri = vector.get("uri").asText();
    final String signature = vector.get("X-HubSpot-Signature-v3").asText();

    HubSpotSignatureVerifier verifierAt(String secret, long epochMillis) {
        return new HubSpotSignatureVerifier(secret, Clock.fixed(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    HubSpotSignatureVerifier verifier() {
        return verifierAt(vector.get("client_secret").asText(), Long.parseLong(timestamp) + 1_000);
    }

    @Test
    void acceptsTheSharedTestVector() {
        assertThatCode(() -> verifier().verify("POST", uri, body, timestamp, signature)).doesNotThrowAnyException();
    }

    @Test
    void signsLikeHubSpot() {
        org.assertj.core.api.Assertions.assertThat(verifier().sign("POST", uri, body, timestamp)).isEqualTo(signature);
    }

    @Test
    void refusesATamperedBody() {
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("18204751234", "18204751235")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier().verify("POST", uri, tampered, timestamp, signature))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("does not match");
    }

    @Test
    void refusesAnotherSecret() {
        assertThatThrownBy(() -> verifierAt("another-secret", Long.parseLong(timestamp)).verify("POST", uri, body,
                timestamp, signature)).isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void refusesAStaleTimestamp() {
        HubSpotSignatureVerifier sixMinutesLater = verifierAt(vector.get("client_secret").asText(),
                Long.parseLong(timestamp) + 6 * 60_000);
        assertThatThrownBy(() -> sixMinutesLater.verify("POST", uri, body, timestamp, signature))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("5 minutes");
    }

    @Test
    void refusesAnotherUri() {
        assertThatThrownBy(() -> verifier().verify("POST", "http://10.0.0.5:8080/webhooks/hubspot", body, timestamp,
                signature)).isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void refusesMissingHeaders() {
        assertThatThrownBy(() -> verifier().verify("POST", uri, body, timestamp, null))
                .hasMessageContaining("missing X-HubSpot-Signature-v3");
        assertThatThrownBy(() -> verifier().verify("POST", uri, body, "yesterday", signature))
                .hasMessageContaining("Timestamp");
    }
}
