package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Try Zapier and Make hooks" against the dev sandboxes, with the README's settings, secrets and key. */
class ZapierMakeTryItTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theReadmesHooksSourcesAndRestHooksWorkWithNoAccount() throws Exception {
        int port = RunningBus.freePort();
        String base = "http://localhost:" + port;
        try (RunningBus bus = RunningBus.start(dataDir, Map.of(
                "camel.server.port", String.valueOf(port),
                "zapier.enabled", "true",
                "make.enabled", "true",
                "zapier.hooks", "contacts|" + base + "/sandbox/zapier/hooks/catch/123456/contacts/|marketing.contact.*",
                "make.hooks", "crm|" + base + "/sandbox/make/abcdefghijklmnopqrstuvwxyz123456|marketing.contact.*|personal-data"))) {
            // flow 1's subscribe reaches both: Zapier's without the e-mail, Make's with it
            assertThat(post(base + "/webhooks/mailchimp/sandbox", "application/x-www-form-urlencoded", Samples.text("mailchimp-subscribe.form"), Map.of()).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> MAPPER.readTree(get(base + "/sandbox/zapier/hooks")).size() == 1
                    && MAPPER.readTree(get(base + "/sandbox/make/webhooks")).size() == 1);
            JsonNode zap = MAPPER.readTree(get(base + "/sandbox/zapier/hooks")).get(0);
            assertThat(zap.path("hook").asText()).isEqualTo("/hooks/catch/123456/contacts/");
            assertThat(zap.path("body").path("contact").path("first_name").asText()).isEqualTo("Lucia");
            assertThat(zap.toString()).doesNotContain("lucia.martin@example.com");
            assertThat(get(base + "/sandbox/make/webhooks")).contains("lucia.martin@example.com");

            // a Zap sends a contact in with the dev source's secret: on to Make, not back to Zapier
            HttpResponse<String> in = post(base + "/webhooks/zapier/dev", "application/x-www-form-urlencoded",
                    "type=contact&email=maria.garcia%40example.com&first_name=Maria&last_name=Garcia&consent=yes", Map.of());
            assertThat(in.statusCode()).isEqualTo(401);
            in = post(base + "/webhooks/zapier/dev", "application/x-www-form-urlencoded",
                    "type=contact&email=maria.garcia%40example.com&first_name=Maria&last_name=Garcia&consent=yes",
                    Map.of("X-Bus-Secret", "zapier-dev-secret"));
            assertThat(in.statusCode()).isEqualTo(200);
            assertThat(in.body()).contains("\"status\":\"accepted\"").contains("zap-");
            await().atMost(Duration.ofSeconds(30)).until(() -> MAPPER.readTree(get(base + "/sandbox/make/webhooks")).size() == 2);
            assertThat(MAPPER.readTree(get(base + "/sandbox/zapier/hooks")).size()).isEqualTo(1);

            // a REST hook on the sandbox, then the "Zap" turns off: 410, unsubscribed
            String created = send("POST", base + "/v1/hooks", "{\"target_url\":\"" + base
                    + "/sandbox/zapier/hooks/standard/123456/myzap/\",\"event\":[\"marketing.contact.*\"]}").body();
            assertThat(MAPPER.readTree(created).path("id").asText()).startsWith("h-");
            assertThat(post(base + "/sandbox/zapier/gone", "text/plain", "/hooks/standard/123456/myzap/", Map.of()).statusCode()).isEqualTo(204);
            post(base + "/webhooks/zapier/dev", "application/json",
                    "{\"type\":\"contact\",\"email\":\"ana.lopez@example.com\",\"first_name\":\"Ana\"}",
                    Map.of("X-Bus-Secret", "zapier-dev-secret"));
            // a contact from Zapier goes to no Zapier hook: send one from Mailchimp's side instead
            String form = Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40example.com", "ana.lopez%40example.com");
            assertThat(post(base + "/webhooks/mailchimp/sandbox", "application/x-www-form-urlencoded", form, Map.of()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    send("GET", base + "/v1/hooks", null).body().equals("[]"));
        }
    }

    private static HttpResponse<String> post(String url, String contentType, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer sandbox-hook-key")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
