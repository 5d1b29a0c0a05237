package io.marketingbus.api.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.WebhookRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The inbound mapping of Zapier and Make bodies, and what it refuses. */
class HookIngressTest {

    static final EventCodec CODEC = new EventCodec(new EventSchemas());
    static final HookIngress INGRESS = new HookIngress("zapier", "zap", Map.of("crm-sync", "crm-sync-secret-0001"),
            CODEC, Clock.fixed(Instant.parse("2026-01-15T09:31:07Z"), ZoneOffset.UTC));
    static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    private static Exchange call(String source, String secret, String contentType, Object body, String key) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setHeader("source", source);
        if (secret != null) {
            exchange.getMessage().setHeader(HookIngress.SECRET_HEADER, secret);
        }
        if (key != null) {
            exchange.getMessage().setHeader("Idempotency-Key", key);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : body);
        return exchange;
    }

    private static JsonNode published(Exchange exchange) throws Exception {
        return CODEC.mapper().readTree(exchange.getMessage().getBody(byte[].class));
    }

    @Test
    void aFormContactWithoutConsentIsAProfileUpdateKeyedByItsContactKey() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("type", "contact");
        form.put("email", "lucia.martin@example.com");
        form.put("first_name", "Lucia");
        Exchange exchange = call("crm-sync", "crm-sync-secret-0001", "application/x-www-form-urlencoded", form, null);
        INGRESS.authenticate(exchange);
        INGRESS.translate(exchange);
        JsonNode event = published(exchange);
        assertThat(event.path("type").asText()).isEqualTo("marketing.contact.profile-updated");
        assertThat(event.path("time").asText()).isEqualTo("2026-01-15T09:31:07Z");
        assertThat(event.path("data").path("subscription").path("platform").asText()).isEqualTo("zapier");
        assertThat(event.path("data").path("subscription").path("listId").asText()).isEqualTo("crm-sync");
        assertThat(exchange.getProperty(HookIngress.TOPIC)).isEqualTo("marketing.subscriptions");
        assertThat(exchange.getMessage().getHeader("kafka.KEY")).isEqualTo(event.path("subject").asText());
    }

    @Test
    void theSendersIdempotencyKeyMakesTheIdElseTheBody() throws Exception {
        String a = "{\"type\":\"event\",\"event\":\"Signed\",\"properties\":{\"n\":1}}";
        String b = "{\"type\":\"event\",\"event\":\"Signed\",\"properties\":{\"n\":2}}";
        Exchange first = call("crm-sync", "crm-sync-secret-0001", "application/json", a, "run-1");
        Exchange second = call("crm-sync", "crm-sync-secret-0001", "application/json", b, "run-1");
        Exchange third = call("crm-sync", "crm-sync-secret-0001", "application/json", b, null);
        INGRESS.translate(first);
        INGRESS.translate(second);
        INGRESS.translate(third);
        assertThat(published(first).path("id")).isEqualTo(published(second).path("id"));
        assertThat(published(third).path("id")).isNotEqualTo(published(second).path("id"));
        assertThat(published(third).path("data").path("custom").path("properties").path("n").asInt()).isEqualTo(2);
        assertThat(third.getProperty(HookIngress.TOPIC)).isEqualTo(HookIngress.CUSTOM_EVENTS_TOPIC);
    }

    @Test
    void refusalsSayWhyAndOnlyBadBodiesAreKept() {
        assertThatThrownBy(() -> INGRESS.authenticate(call("crm-sync", "nope", "application/json", "{}", null)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.deadLetter()).isFalse();
                });
        assertThatThrownBy(() -> INGRESS.authenticate(call("unknown", "crm-sync-secret-0001", "application/json", "{}", null)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> INGRESS.translate(call("crm-sync", null, "application/json",
                "{\"type\":\"contact\",\"email\":\"lucia.martin@example.com\",\"phone\":\"call me\"}", null)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.deadLetter()).isTrue();
                    assertThat(e.getMessage()).contains("phone");
                });
        Exchange text = call("crm-sync", null, "text/plain", "type=contact", null);
        assertThatThrownBy(() -> INGRESS.translate(text))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThat(text.getProperty(IngressExchange.RAW_REQUEST, byte[].class)).isNotEmpty();
        assertThatThrownBy(() -> INGRESS.translate(call("crm-sync", null, "application/json",
                "{\"type\":\"purchase\",\"order_id\":\"1\",\"total\":\"-3\",\"currency\":\"EUR\",\"email\":\"a@example.com\"}", null)))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> HookIngress.parseSources("zapier.sources", "dev=zapier-dev-secret", false, "zapier-dev-secret"))
                .isInstanceOf(InsecureSettingException.class);
    }
}
