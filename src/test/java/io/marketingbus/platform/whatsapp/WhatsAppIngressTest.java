package io.marketingbus.platform.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.WebhookRejectedException;
import io.marketingbus.support.Samples;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The WhatsApp webhook: handshake, X-Hub-Signature-256 over the raw bytes (the repository's vector), translation. */
class WhatsAppIngressTest {

    static final String SECRET = "meta_app_secret_5a4b3c";
    static final EventCodec CODEC = new EventCodec(new EventSchemas());

    final WhatsAppIngress ingress = new WhatsAppIngress(SECRET, "verify-me", Set.of("STOP"), Set.of("START"), CODEC,
            new EventTimeWindow(Duration.ofDays(3650), Duration.ofMinutes(5), Clock.systemUTC()));

    static Exchange post(byte[] body, String signature) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (signature != null) {
            exchange.getMessage().setHeader("X-Hub-Signature-256", signature);
        }
        return exchange;
    }

    static byte[] sample() throws Exception {
        return java.nio.file.Files.readAllBytes(Samples.path("whatsapp-webhook-status.json"));
    }

    static String vector() {
        return Samples.vectors().at("/signatures/meta_whatsapp-webhook-status/value").asText();
    }

    @Test
    void theSignatureOfTheRepositoryVectorIsAccepted() throws Exception {
        assertThat(WhatsAppIngress.signature(SECRET.getBytes(StandardCharsets.UTF_8), sample())).isEqualTo(vector());
        ingress.verify(post(sample(), vector()));
    }

    @Test
    void aSignatureMadeWithAnotherSecretOrOverOtherBytesIsRefusedWith401NotStored() throws Exception {
        WhatsAppIngress other = new WhatsAppIngress("another-app-secret", "verify-me", Set.of("STOP"), Set.of("START"),
                CODEC, new EventTimeWindow(Duration.ofDays(3650), Duration.ofMinutes(5), Clock.systemUTC()));
        assertThatThrownBy(() -> other.verify(post(sample(), vector()))).isInstanceOfSatisfying(
                WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.deadLetter()).isFalse();
                });
        byte[] reformatted = (new String(sample(), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ingress.verify(post(reformatted, vector())))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> ingress.verify(post(sample(), null)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void theHandshakeEchoesTheChallengeOnlyForTheRightVerifyToken() {
        Exchange ok = new DefaultExchange(new DefaultCamelContext());
        ok.getMessage().setHeader("hub.mode", "subscribe");
        ok.getMessage().setHeader("hub.verify_token", "verify-me");
        ok.getMessage().setHeader("hub.challenge", "1158201444");
        ingress.handshake(ok);
        assertThat(ok.getMessage().getBody(String.class)).isEqualTo("1158201444");
        assertThat(ok.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);

        Exchange wrong = new DefaultExchange(new DefaultCamelContext());
        wrong.getMessage().setHeader("hub.mode", "subscribe");
        wrong.getMessage().setHeader("hub.verify_token", "verify-you");
        wrong.getMessage().setHeader("hub.challenge", "1158201444");
        assertThatThrownBy(() -> ingress.handshake(wrong))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void theStatusSampleBecomesAMessageStatusEventKeyedByThePhone() throws Exception {
        Exchange exchange = post(sample(), vector());
        ingress.verify(exchange);
        ingress.translate(exchange);
        @SuppressWarnings("unchecked")
        List<BusRecord> records = exchange.getMessage().getBody(List.class);
        assertThat(records).hasSize(1);
        CloudEvent event = CODEC.parse(records.get(0).value());
        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_STATUS);
        assertThat(event.id()).isEqualTo("wa-status-wamid.HBgLMzQ2MDAxMTIyMzMVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-delivered");
        assertThat(event.source()).isEqualTo("/whatsapp/phone-numbers/106540352242922");
        assertThat(event.time()).isEqualTo("2026-01-05T08:01:00Z");
        assertThat(event.subject()).isEqualTo(records.get(0).key()).isEqualTo(Identifiers.sha256Hex("+34600112233"));
        assertThat(event.data().messaging().phone()).isEqualTo("+34600112233");
        assertThat(event.data().messaging().status()).isEqualTo("delivered");
        assertThat(exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class)).isEqualTo(sample());
    }

    @Test
    void aFailedStatusKeepsItsErrorCodeAndStopInAnyCaseIsAnOptOut() throws Exception {
        String failed = new String(sample(), StandardCharsets.UTF_8).replace("\"status\":\"delivered\",",
                "\"status\":\"failed\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable.\"}],");
        CloudEvent status = translate(failed).get(0);
        assertThat(status.data().messaging().errorCode()).isEqualTo(131026);
        assertThat(status.data().messaging().errorTitle()).isEqualTo("Message undeliverable.");

        String stop = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"106540352242922\"},\"messages\":[{\"from\":\"34600112233\","
                + "\"id\":\"wamid.X\",\"timestamp\":\"1767600060\",\"type\":\"text\",\"text\":{\"body\":\" Stop \"}},"
                + "{\"from\":\"34600112233\",\"id\":\"wamid.Y\",\"timestamp\":\"1767600061\",\"type\":\"text\","
                + "\"text\":{\"body\":\"hola\"}}]}}]}]}";
        List<CloudEvent> events = translate(stop);
        assertThat(events).extracting(CloudEvent::type).containsExactly(EventTypes.CONTACT_MESSAGING_OPTED_OUT);
        assertThat(events.get(0).data().messaging().keyword()).isEqualTo("STOP");
    }

    @Test
    void aBodyThatIsNotAWhatsAppAccountsIsA400KeptAsADeadLetter() {
        Exchange exchange = post("{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8), null);
        exchange.setProperty(IngressExchange.RAW_REQUEST, exchange.getMessage().getBody(byte[].class));
        assertThatThrownBy(() -> ingress.translate(exchange)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.deadLetter()).isTrue();
        });
    }

    List<CloudEvent> translate(String body) {
        Exchange exchange = post(body.getBytes(StandardCharsets.UTF_8), null);
        exchange.setProperty(IngressExchange.RAW_REQUEST, body.getBytes(StandardCharsets.UTF_8));
        ingress.translate(exchange);
        @SuppressWarnings("unchecked")
        List<BusRecord> records = exchange.getMessage().getBody(List.class);
        return records.stream().map(r -> CODEC.parse(r.value())).toList();
    }
}
