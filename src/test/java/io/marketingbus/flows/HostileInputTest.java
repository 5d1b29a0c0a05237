package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.platform.hubspot.HubSpotSignatureVerifier;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad requests across every ingress endpoint, interleaved with valid webhooks: each bad one gets a
 * clear 4xx (never a 5xx, never a stack trace), each valid one is delivered, and the bus stays healthy.
 */
class HostileInputTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String MAILCHIMP = "/webhooks/mailchimp/sandbox";

    @TempDir
    Path dataDir;

    record Bad(String what, HttpRequest request) {
    }

    HttpRequest.Builder post(RunningBus bus, String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(URI.create(bus.url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    HttpRequest hubspot(RunningBus bus, byte[] body, String signature, long timestamp) {
        HubSpotSignatureVerifier signer = new HubSpotSignatureVerifier("sandbox", Clock.systemUTC());
        String ts = String.valueOf(timestamp);
        String url = bus.context().resolvePropertyPlaceholders("{{hubspot.webhook-url}}");
        return post(bus, "/webhooks/hubspot", "application/json", body).header("X-HubSpot-Request-Timestamp", ts)
                .header("X-HubSpot-Signature-v3", signature != null ? signature : signer.sign("POST", url, body, ts)).build();
    }

    List<Bad> corpus(RunningBus bus) {
        List<Bad> bad = new ArrayList<>();
        String subscribe = Samples.text("mailchimp-subscribe.form");
        String form = "application/x-www-form-urlencoded";
        for (String secret : List.of("guess", "SANDBOX", "sandbox2", "s", "%00", "sandbox%20", "admin", "x".repeat(300), "null", "1")) {
            bad.add(new Bad("mailchimp secret " + secret, post(bus, "/webhooks/mailchimp/" + secret, form, utf8(subscribe)).build()));
        }
        bad.add(new Bad("mailchimp no e-mail at all", post(bus, MAILCHIMP, form, utf8(subscribe
                .replaceAll("data%5Bemail%5D=[^&]*&?", "").replaceAll("data%5Bmerges%5D%5BEMAIL%5D=[^&]*&?", ""))).build()));
        for (String field : List.of("type", "fired_at", "data%5Blist_id%5D")) {
            for (int i = 0; i < 3; i++) {
                String broken = switch (i) {
                    case 0 -> subscribe.replaceAll(field + "=[^&]*&?", "");
                    case 1 -> subscribe.replaceAll(field + "=[^&]*", field + "=");
                    default -> subscribe.replaceAll(field + "=[^&]*", field + "=%ZZ");
                };
                bad.add(new Bad("mailchimp field " + field + " #" + i, post(bus, MAILCHIMP, form, utf8(broken)).build()));
            }
        }
        for (String when : List.of("yesterday", "2026-13-01+00%3A00%3A00", "2026-01-15T09%3A31%3A07Z", "0", "%27%3B+DROP")) {
            bad.add(new Bad("mailchimp fired_at " + when, post(bus, MAILCHIMP, form,
                    utf8(subscribe.replace("fired_at=2026-01-15+09%3A31%3A07", "fired_at=" + when))).build()));
        }
        for (String email : List.of("not-an-email", "a%40b%40c", "%40example.com", "lucia%40", "a+b%40c+d")) {
            bad.add(new Bad("mailchimp email " + email, post(bus, MAILCHIMP, form,
                    utf8(subscribe.replace("lucia.martin%40example.com", email))).build()));
        }
        for (String type : List.of("resubscribe", "SUBSCRIBE", "", "campaign%00", "profile%5B%5D")) {
            bad.add(new Bad("mailchimp type " + type, post(bus, MAILCHIMP, form,
                    utf8(subscribe.replace("type=subscribe", "type=" + type))).build()));
        }
        bad.add(new Bad("mailchimp duplicate type", post(bus, MAILCHIMP, form, utf8(subscribe + "&type=unsubscribe")).build()));
        bad.add(new Bad("mailchimp parent and value", post(bus, MAILCHIMP, form, utf8(subscribe + "&data=x")).build()));
        bad.add(new Bad("mailchimp unbalanced", post(bus, MAILCHIMP, form, utf8(subscribe + "&data%5Bx=1")).build()));
        StringBuilder many = new StringBuilder(subscribe);
        for (int i = 0; i < 300; i++) {
            many.append("&f").append(i).append("=1");
        }
        bad.add(new Bad("mailchimp 300 fields", post(bus, MAILCHIMP, form, utf8(many.toString())).build()));
        bad.add(new Bad("mailchimp long field", post(bus, MAILCHIMP, form, utf8(subscribe + "&x=" + "a".repeat(5000))).build()));
        byte[] invalidUtf8 = subscribe.replace("FNAME%5D=Lucia", "FNAME%5D=%C3%28").getBytes(StandardCharsets.UTF_8);
        bad.add(new Bad("mailchimp invalid UTF-8", post(bus, MAILCHIMP, form, invalidUtf8).build()));
        bad.add(new Bad("mailchimp json body", post(bus, MAILCHIMP, "application/json", utf8("{\"type\":\"subscribe\"}")).build()));
        bad.add(new Bad("mailchimp text body", post(bus, MAILCHIMP, "text/plain", utf8(subscribe)).build()));
        bad.add(new Bad("mailchimp empty", post(bus, MAILCHIMP, form, new byte[0]).build()));
        bad.add(new Bad("mailchimp 2 MB", post(bus, MAILCHIMP, form, utf8("type=subscribe&x=" + "a".repeat(2_000_000))).build()));
        bad.add(new Bad("mailchimp PUT", HttpRequest.newBuilder(URI.create(bus.url(MAILCHIMP)))
                .PUT(HttpRequest.BodyPublishers.ofString(subscribe)).build()));
        bad.add(new Bad("mailchimp DELETE", HttpRequest.newBuilder(URI.create(bus.url(MAILCHIMP))).DELETE().build()));

        byte[] deal = Samples.text("hubspot-deal-creation.json").replace("1767225600123",
                String.valueOf(System.currentTimeMillis())).getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        for (String signature : List.of("", "bm90IGEgc2lnbmF0dXJl", "LPFiZ+ZctBZYlkR0WImcUfXRF0jfWG1OTli6sLnasSQ=", "=", "a".repeat(500))) {
            bad.add(new Bad("hubspot forged " + signature.length(), hubspot(bus, deal, signature, now)));
        }
        for (long age : List.of(301_000L, 3_600_000L, 86_400_000L, -400_000L, now)) {
            bad.add(new Bad("hubspot timestamp " + age, hubspot(bus, deal, null, now - age)));
        }
        bad.add(new Bad("hubspot no headers", post(bus, "/webhooks/hubspot", "application/json", deal).build()));
        for (String body : List.of("not json", "{\"eventId\":1}", "[1,2", "", "[" + nested(40) + "]",
                "[{\"objectId\":1" + "0".repeat(100) + "}]", "[{\"eventId\":1,\"eventId\":2}]", "null", "true", "\"x\"")) {
            bad.add(new Bad("hubspot body " + body.length(), hubspot(bus, utf8(body), null, now)));
        }
        byte[] invalidJsonUtf8 = {'[', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ']'};
        bad.add(new Bad("hubspot invalid UTF-8", hubspot(bus, invalidJsonUtf8, null, now)));
        bad.add(new Bad("hubspot form body", post(bus, "/webhooks/hubspot", "application/x-www-form-urlencoded", utf8("a=b"))
                .header("X-HubSpot-Request-Timestamp", String.valueOf(now)).header("X-HubSpot-Signature-v3", "x").build()));

        String hit = Samples.text("ga4-purchase.json").replace("\"timestamp_micros\": \"1767600000000000\",", "");
        String relay = "/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox";
        for (String query : List.of("measurement_id=G-SANDBOX&api_secret=guess", "measurement_id=G-OTHER&api_secret=sandbox",
                "api_secret=sandbox", "measurement_id=G-SANDBOX", "")) {
            bad.add(new Bad("ga4 query " + query, post(bus, "/mp/collect?" + query, "application/json", utf8(hit)).build()));
        }
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            events.append(i == 0 ? "" : ",").append("{\"name\":\"page_view\"}");
        }
        for (String body : List.of("{\"client_id\":\"1\",\"events\":[" + events + "]}", "{\"events\":[{\"name\":\"x\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"session_start\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"_x\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"" + "n".repeat(41) + "\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"purchase\",\"params\":{\"currency\":\"EUR\"}}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"x\",\"params\":{\"p\":\"a@example.com\"}}]}",
                "{\"client_id\":\"1\",\"client_id\":\"2\",\"events\":[{\"name\":\"x\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"x\"}],\"hacked\":true}",
                "{\"client_id\":\"1\",\"user_data\":{\"ssn\":\"1\"},\"events\":[{\"name\":\"x\"}]}",
                "{\"client_id\":\"1\",\"events\":[{\"name\":\"x\",\"params\":" + nested(40) + "}]}",
                "{\"client_id\":\"1\",\"timestamp_micros\":\"1\",\"events\":[{\"name\":\"x\"}]}", "[]", "not json")) {
            bad.add(new Bad("ga4 body " + body.length(), post(bus, relay, "application/json", utf8(body)).build()));
        }
        for (String name : List.of("firebase_x", "ga_x", "google_x", "gtag.x", "_y", "first_visit", "screen_view", "9lives",
                "has space", "dash-name")) {
            bad.add(new Bad("ga4 event name " + name, post(bus, relay, "application/json",
                    utf8("{\"client_id\":\"1\",\"events\":[{\"name\":\"" + name + "\"}]}")).build()));
        }
        for (String userData : List.of("{\"email_address\":\"not-an-email\"}", "{\"phone_number\":\"600112233\"}",
                "{\"sha256_email_address\":\"NOTHEX\"}", "{\"sha256_phone_number\":[\"abc\"]}", "[]")) {
            bad.add(new Bad("ga4 user_data " + userData, post(bus, relay, "application/json",
                    utf8("{\"client_id\":\"1\",\"user_data\":" + userData + ",\"events\":[{\"name\":\"x\"}]}")).build()));
        }
        for (String body : List.of("[{\"subscriptionType\":\"deal.creation\",\"objectId\":-1,\"occurredAt\":1}]",
                "[{\"subscriptionType\":\"deal.creation\",\"objectId\":1}]", "[{\"objectId\":1,\"occurredAt\":1}]",
                "[\"deal.creation\"]", "[{\"subscriptionType\":\"deal.creation\",\"objectId\":\"1e3\",\"occurredAt\":\"x\"}]")) {
            bad.add(new Bad("hubspot element " + body, hubspot(bus, utf8(body), null, now)));
        }
        return bad;
    }

    @Test
    void everyBadRequestGetsA4xxAndEveryValidOneIsDelivered() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of())) {
            List<Bad> bad = corpus(bus);
            assertThat(bad).hasSizeGreaterThanOrEqualTo(100);
            List<String> valid = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < bad.size(); i++) {
                HttpResponse<String> response = HTTP.send(bad.get(i).request(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 400 || response.statusCode() >= 500 || response.body().contains("Exception")
                        || response.body().contains("\tat ")) {
                    wrong.add(bad.get(i).what() + " → " + response.statusCode() + " " + response.body());
                }
                if (i % 10 == 0) {
                    String email = "valid-" + i + "@example.com";
                    valid.add(email);
                    assertThat(bus.postForm(MAILCHIMP, Samples.text("mailchimp-subscribe.form")
                            .replace("lucia.martin%40example.com", email.replace("@", "%40"))).statusCode()).isEqualTo(200);
                }
            }
            assertThat(wrong).as("bad requests that did not get a clean 4xx").isEmpty();
            ObjectMapper mapper = new ObjectMapper();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String contacts = bus.get("/sandbox/hubspot/contacts").body();
                return valid.stream().allMatch(contacts::contains);
            });
            assertThat(mapper.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/health/ready")))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).get("status").asText()).isEqualTo("UP");
            System.out.printf("hostile corpus: %d bad requests, all answered 4xx; %d valid webhooks delivered%n",
                    bad.size(), valid.size());
        }
    }
}
