package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.marketingbus.support.Browser;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** Signing in to the console in a real browser (headless Chromium), as an operator does. */
class ConsoleSignInTest {

    static final String TOKEN = "browser-test-token";
    static final List<String> TABS = List.of("overview", "live", "dead-letters", "kpis");

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("bus.admin-token", TOKEN));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void aWrongTokenIsRefusedAndTheBrowserStaysOnTheSignInForm() {
        try (Browser browser = Browser.open(bus)) {
            WebDriver page = browser.driver();
            assertThat(page.getTitle()).startsWith("Sign in");
            browser.waitFor(By.id("token"));
            browser.screenshot("console-sign-in");

            browser.signIn("not-" + TOKEN);

            assertThat(browser.waitFor(By.id("login-error")).getText()).contains("not the admin token");
            assertThat(page.findElements(By.id("token"))).hasSize(1);
            assertThat(page.findElements(By.id("tab-overview"))).isEmpty();
            assertThat(page.manage().getCookieNamed(ConsoleAuth.COOKIE)).isNull();
            assertThat(page.getCurrentUrl()).doesNotContain(TOKEN);
            assertThat(page.getPageSource()).doesNotContain(TOKEN);
            browser.screenshot("console-sign-in-refused");
        }
    }

    @Test
    void signingInShowsTheFourTabsKeepsTheTokenOutOfThePageAndSigningOutEndsIt() {
        try (Browser browser = Browser.open(bus)) {
            WebDriver page = browser.driver();
            browser.signIn(TOKEN);

            browser.waitFor(By.id("tab-overview"));
            assertThat(page.getTitle()).isEqualTo("marketing-bus console");
            assertThat(page.getCurrentUrl()).isEqualTo(bus.managementUrl("/console")).doesNotContain(TOKEN);
            assertThat(page.getPageSource()).doesNotContain(TOKEN);
            Cookie cookie = page.manage().getCookieNamed(ConsoleAuth.COOKIE);
            assertThat(cookie).isNotNull();
            assertThat(cookie.isHttpOnly()).isTrue();
            assertThat(cookie.getSameSite()).isEqualTo("Strict");
            assertThat(cookie.getPath()).isEqualTo("/");
            assertThat(cookie.getValue()).doesNotContain(TOKEN);
            // http-only: the page's scripts cannot read it
            assertThat((String) ((JavascriptExecutor) page).executeScript("return document.cookie")).isEmpty();
            assertThat(visibleSections(page)).containsExactly("overview");

            for (String tab : TABS) {
                page.findElement(By.id("tab-" + tab)).click();
                browser.wait(java.time.Duration.ofSeconds(10)).until(d -> visibleSections(d).equals(List.of(tab)));
                assertThat(page.findElement(By.id("tab-" + tab)).getAttribute("aria-selected")).isEqualTo("true");
                assertThat(page.getCurrentUrl()).endsWith("#" + tab);
            }
            assertThat((Boolean) ((JavascriptExecutor) page).executeScript(
                    "return typeof Console.api === 'function' && typeof Console.el === 'function'"
                            + " && typeof Console.onTab === 'function' && typeof uPlot === 'function'")).isTrue();
            page.findElement(By.id("tab-overview")).click();
            browser.screenshot("console-shell");

            page.findElement(By.cssSelector("#sign-out button")).click();
            browser.waitFor(By.id("token"));
            assertThat(page.manage().getCookieNamed(ConsoleAuth.COOKIE)).isNull();
            browser.go("/console");
            assertThat(page.findElements(By.id("tab-overview"))).isEmpty();
        }
    }

    @Test
    void aTabNamedInTheAddressOpensDirectly() {
        try (Browser browser = Browser.open(bus)) {
            browser.signIn(TOKEN).go("/console#dead-letters");
            browser.wait(java.time.Duration.ofSeconds(10))
                    .until(d -> visibleSections(d).equals(List.of("dead-letters")));
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> visibleSections(WebDriver page) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll('main > section')].filter(s => !s.hidden).map(s => s.id)");
    }
}
