package io.marketingbus.ops.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.marketingbus.support.Browser;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** In Chromium: the live view receives a Mailchimp subscribe (masked), its trail, and a dead letter replayed. */
class ConsoleDebuggerBrowserTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";
    static final String TOKEN = "ops-token";

    @TempDir
    Path dataDir;

    @Test
    void anOperatorWatchesAnEventArriveFollowsItsTrailAndReplaysADeadLetter() throws Exception {
        WireMockServer hubspot = new WireMockServer(wireMockConfig().dynamicPort());
        hubspot.start();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("hubspot.base-url", "http://127.0.0.1:" + hubspot.port(),
                "hubspot.access-token", "pat-console", "hubspot.client-secret", "unused", "bus.admin-token", TOKEN));
             Browser browser = Browser.open(bus)) {
            browser.signIn(TOKEN);
            browser.go("/console#live");
            browser.wait(Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.id("live-status"), "live"));

            bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form"));
            WebElement event = browser.wait(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#live-rows tr.live-row"))
                    .stream().filter(r -> r.getText().contains("event") && r.getText().contains("marketing.contact.subscribed"))
                    .findFirst().orElse(null));
            assertThat(event.getText()).contains("l***@example.com").doesNotContain("lucia.martin@example.com");
            browser.wait(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("live-rows")).getText().contains("delivered"));
            assertThat(browser.driver().findElement(By.id("live")).getText()).doesNotContain("lucia.martin@example.com");
            browser.screenshot("live");

            event.click();
            browser.waitFor(By.id("trail-table"));
            browser.wait(Duration.ofSeconds(20)).until(d -> {
                String outcomes = d.findElement(By.id("trail-table")).getText();
                return outcomes.contains("accepted") && outcomes.contains("delivered");
            });
            browser.screenshot("trail");

            // HubSpot refuses the next contact: a dead letter; then the portal is fixed and the operator replays it
            hubspot.resetAll();
            hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(aResponse().withStatus(400)
                    .withBody("{\"status\":\"error\",\"message\":\"Property \\\"mailchimp_status\\\" does not exist\"}")));
            bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                    .replace("lucia.martin%40example.com", "ana.ruiz%40example.com").replace("09%3A31%3A07", "09%3A41%3A07")
                    .replace("11bdbce20ae820532b1a7dfbbcae11a7", "22bdbce20ae820532b1a7dfbbcae11a7"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() == 1);
            hubspot.resetAll();
            hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));

            browser.go("/console#dead-letters");
            WebElement group = browser.waitFor(By.cssSelector("[data-dlq='" + DLQ + "'] tr.dlq-group"));
            assertThat(group.findElement(By.cssSelector(".count")).getText()).isEqualTo("1");
            assertThat(group.getText()).contains("400");
            group.findElement(By.cssSelector("button.dry-run")).click();
            assertThat(browser.waitFor(By.cssSelector(".dry-run-report")).getText()).contains("1 of 1 letters match");
            assertThat(hubspot.getAllServeEvents()).isEmpty();
            browser.waitFor(By.cssSelector("button.confirm-replay")).click();
            assertThat(browser.waitFor(By.cssSelector(".replay-report")).getText()).contains("Replayed 1");
            browser.screenshot("dead-letters");
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT))
                    .withRequestBody(containing("ana.ruiz@example.com"))).size() == 1);
        } finally {
            hubspot.stop();
        }
    }
}
