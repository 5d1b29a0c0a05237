package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.marketingbus.platform.hubspot.HubSpotSignatureVerifier;
import io.marketingbus.support.Browser;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The overview and KPI tabs in a real browser (headless Chromium): the three flows' webhooks in (Mailchimp, HubSpot,
 * GA4), the overview fills, a number opens its sample events, the KPI table shows every KPI with its target.
 */
class OverviewBrowserTest {

    static final String TOKEN = "sandbox-admin";

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of());
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                .isEqualTo(200);
        String ts = String.valueOf(System.currentTimeMillis());
        String deal = "[{\"eventId\":1001,\"subscriptionId\":2345678,\"portalId\":62515,\"appId\":1160452,\"occurredAt\":"
                + ts + ",\"subscriptionType\":\"deal.creation\",\"attemptNumber\":0,\"objectId\":18204751234,"
                + "\"changeFlag\":\"NEW\",\"changeSource\":\"CRM_UI\"}]";
        String url = bus.context().resolvePropertyPlaceholders("{{hubspot.webhook-url}}");
        assertThat(bus.post("/webhooks/hubspot", "application/json", deal, Map.of("X-HubSpot-Request-Timestamp", ts,
                "X-HubSpot-Signature-v3", new HubSpotSignatureVerifier("sandbox", Clock.systemUTC())
                        .sign("POST", url, deal.getBytes(StandardCharsets.UTF_8), ts))).statusCode()).isEqualTo(200);
        assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                Ga4Hits.purchaseByEmail("lucia.martin@example.com", "T-100234", 129.90).toString()).statusCode())
                .isEqualTo(204);
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", "type=subscribe&fired_at=yesterday").statusCode())
                .isEqualTo(400);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static String cell(Browser browser, String flow, String destination, String column) {
        List<WebElement> cells = browser.driver().findElements(By.cssSelector("#overview-table tr[data-flow='" + flow
                + "'][data-destination='" + destination + "'] td.col-" + column));
        return cells.isEmpty() ? "" : cells.get(0).getText();
    }

    @Test
    void theOverviewFillsAndANumberOpensItsSamples() throws Exception {
        try (Browser browser = Browser.open(bus)) {
            browser.signIn(TOKEN);
            browser.waitFor(By.id("overview-table"));
            // the page refreshes every 5 s: the three flows' rows appear as their records arrive
            browser.wait(Duration.ofSeconds(60)).until(d -> cell(browser, "contacts", "hubspot", "delivered").equals("1")
                    && cell(browser, "contacts", "ingress:mailchimp", "received").equals("1")
                    // flow 2's deal is not in the sandbox HubSpot: the enricher dead-letters it (404)
                    && cell(browser, "opportunities", "enricher", "deadLettered").equals("1")
                    && cell(browser, "purchases", "resolver", "delivered").equals("1")
                    && cell(browser, "unparsed", "ingress:mailchimp", "rejected").equals("1"));
            assertThat(cell(browser, "unparsed", "ingress:mailchimp", "reasons")).contains("yesterday");
            assertThat(cell(browser, "contacts", "hubspot", "breaker")).isEqualTo("closed");
            assertThat(cell(browser, "contacts", "hubspot", "p50")).endsWith("ms");
            assertThat(browser.driver().findElement(By.id("overview")).getText()).doesNotContain("lucia.martin@");
            browser.screenshot("overview");

            browser.driver().findElement(By.cssSelector("#overview-table tr[data-flow='contacts'][data-destination='hubspot']"
                    + " td.col-delivered button")).click();
            WebElement samples = browser.waitFor(By.id("overview-samples-table"));
            assertThat(samples.getText()).contains("marketing.contact.subscribed");
            WebElement link = samples.findElement(By.cssSelector("a"));
            assertThat(link.getAttribute("href")).contains("#trail/");
            browser.screenshot("overview-samples");
            link.click();
            assertThat(browser.driver().getCurrentUrl()).contains("#trail/" + link.getText());
        }
    }

    @Test
    void theKpiTableShowsEveryKpiWithItsTargetAndATrend() throws Exception {
        try (Browser browser = Browser.open(bus)) {
            browser.signIn(TOKEN);
            browser.waitFor(By.id("tab-kpis")).click();
            // 1 of the enricher's 2 outcomes is a dead letter, so the success rate misses its target
            browser.wait(Duration.ofSeconds(60)).until(d -> d.findElements(By.cssSelector(
                    "#kpis-table tr[data-kpi='integration_success_rate'][data-type='all'] td.col-met")).stream()
                    .anyMatch(e -> e.getText().equals("missed")));
            assertThat(browser.driver().findElement(By.cssSelector(
                    "#kpis-table tr[data-kpi='integration_success_rate'][data-type='crm'] td.col-met")).getText()).isEqualTo("met");
            String table = browser.driver().findElement(By.id("kpis-table")).getText();
            assertThat(table).contains("API uptime", "API latency", "Data sync accuracy", "Integration success rate",
                    "Error rate", "crm", "analytics", "communication", "ecommerce", "ads", "tools",
                    ">= 99.900 %", "< 100 ms", ">= 99.000 %", "< 0.100 %");
            assertThat(browser.driver().findElements(By.cssSelector("#kpi-charts .uplot"))).hasSize(5);
            Path shot = browser.screenshot("kpis");
            assertThat(shot).exists();
        }
    }

    @AfterAll
    static void copyScreenshotsForTheReadme() throws Exception {
        // the docs' pictures are these tests' artefacts, copied only when asked (-Dbus.update-docs=true), so a test
        // run never changes tracked files
        if (!Boolean.getBoolean("bus.update-docs")) {
            return;
        }
        Path docs = Path.of("docs");
        for (String name : List.of("overview", "kpis")) {
            Path shot = Browser.SCREENSHOTS.resolve(name + ".png");
            if (Files.exists(shot) && Files.isDirectory(docs)) {
                Files.copy(shot, docs.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
