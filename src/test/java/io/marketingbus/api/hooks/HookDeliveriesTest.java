package io.marketingbus.api.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventData;
import io.marketingbus.platform.make.MakeSandbox;
import io.marketingbus.platform.zapier.ZapierSandbox;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** Hooks' settings, target URLs, filters and the flat JSON; the strict sandboxes. */
class HookDeliveriesTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void configuredHooksAreParsedAndBadOnesStopTheStartNamingTheHook() {
        HookTargets prod = new HookTargets("zapier", false);
        List<Hook> hooks = HookDeliveries.parse("zapier", "leads|https://hooks.zapier.com/hooks/catch/1/ab/|"
                + "marketing.contact.*,marketing.conversion.purchase; vip|https://hooks.zapier.com/hooks/catch/1/cd/|*|personal-data", prod);
        assertThat(hooks).extracting(Hook::id).containsExactly("cfg-leads", "cfg-vip");
        assertThat(hooks.get(0).takes("marketing.contact.subscribed")).isTrue();
        assertThat(hooks.get(0).takes("marketing.conversion.purchase")).isTrue();
        assertThat(hooks.get(0).takes("marketing.conversion.adjusted")).isFalse();
        assertThat(hooks.get(0).personalData()).isFalse();
        assertThat(hooks.get(1).personalData()).isTrue();
        assertThatThrownBy(() -> HookDeliveries.parse("zapier", "x|http://hooks.zapier.com/hooks/catch/1/a/|*", prod))
                .hasMessageContaining("hook x").hasMessageContaining("https");
        assertThatThrownBy(() -> HookDeliveries.parse("zapier", "x|https://evil.example/hooks/|*", prod))
                .hasMessageContaining("Zapier hook");
        assertThatThrownBy(() -> HookDeliveries.parse("zapier", "x|https://hooks.zapier.com/a/|contact", prod))
                .hasMessageContaining("contact is not an event type");
        assertThatThrownBy(() -> HookDeliveries.parse("zapier", "x|https://hooks.zapier.com/a/|*|all", prod))
                .hasMessageContaining("option all unknown");
    }

    @Test
    void targetsAreHttpsToTheVendorOrLoopbackInDevOnly() {
        assertThat(new HookTargets("make", false).problem("https://hook.eu1.make.com/abc")).isNull();
        assertThat(new HookTargets("make", false).problem("https://hooks.zapier.com/hooks/catch/1/a/")).isNotNull();
        assertThat(new HookTargets("zapier", false).problem("http://127.0.0.1:8080/sandbox/zapier/hooks/catch/1/a/")).isNotNull();
        assertThat(new HookTargets("zapier", true).problem("http://127.0.0.1:8080/sandbox/zapier/hooks/catch/1/a/")).isNull();
        assertThat(new HookTargets("zapier", true).problem("http://10.0.0.5/internal")).isNotNull();
        assertThat(new HookTargets("zapier", true).problem("https://user:pw@hooks.zapier.com/x")).isNotNull();
        assertThat(HookTargets.redact("https://hooks.zapier.com/hooks/catch/1/secret/")).isEqualTo("https://hooks.zapier.com/…");
    }

    @Test
    void prodRefusesTheDevKeyAndShortKeys() {
        assertThat(ApiHooks.parseKeys("zapier=sandbox-hook-key", true)).containsEntry("zapier", "sandbox-hook-key");
        assertThatThrownBy(() -> ApiHooks.parseKeys("zapier=sandbox-hook-key", false)).isInstanceOf(InsecureSettingException.class);
        assertThatThrownBy(() -> ApiHooks.parseKeys("zapier=short", false)).isInstanceOf(InsecureSettingException.class);
        assertThat(ApiHooks.parseKeys("zapier=0123456789abcdef0123, crm=abcdefghijklmnopqrst", false))
                .containsOnlyKeys("zapier", "crm");
    }

    @Test
    void theFlatJsonFollowsTheGenericSampleAndLeavesPersonalDataOutUnlessAsked() throws Exception {
        Contact lucia = Contact.of("lucia.martin@example.com", "Lucia", "Martin", "+34600112233", null);
        CloudEvent event = CloudEvent.of("mc-1@cfg-leads", "/mailchimp/lists/a6b5da1054", "marketing.contact.profile-updated",
                "2026-01-01T00:00:00.123Z", EventData.subscription(lucia, null));
        HookPayloads payloads = new HookPayloads(MAPPER);
        JsonNode masked = payloads.flat(event, "mc-1", false);
        JsonNode sample = Samples.json("bus-outbound-generic-event.json");
        // the sample's envelope fields, and its contact's names
        sample.fieldNames().forEachRemaining(name -> {
            if (!name.equals("deal")) {
                assertThat(masked.has(name)).as(name).isTrue();
            }
        });
        assertThat(masked.path("event_id").asText()).isEqualTo("mc-1");
        assertThat(masked.path("occurred_at").asText()).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(masked.path("contact").path("first_name").asText()).isEqualTo("Lucia");
        assertThat(masked.path("contact_key").asText()).matches("[0-9a-f]{64}");
        assertThat(masked.toString()).doesNotContain("lucia.martin").doesNotContain("600112233");
        JsonNode clear = payloads.flat(event, "mc-1", true);
        assertThat(clear.path("contact").path("email").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(clear.path("contact").path("phone").asText()).isEqualTo("+34600112233");
    }

    @Test
    void theSandboxesAnswerAsTheVendorsAndRefuseWhatTheyWouldNot() throws Exception {
        ZapierSandbox zapier = new ZapierSandbox();
        var ok = zapier.handle(new SandboxRequest("POST", "/hooks/catch/123456/abcdef/", Map.of(),
                Map.of("content-type", "application/json"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ok.status()).isEqualTo(200);
        JsonNode answer = MAPPER.readTree(ok.body());
        JsonNode sample = Samples.json("zapier-catch-hook-response.json");
        assertThat(answer.path("status").asText()).isEqualTo("success");
        sample.fieldNames().forEachRemaining(name -> assertThat(answer.has(name)).as(name).isTrue());
        assertThat(zapier.handle(new SandboxRequest("POST", "/hooks/catch/abc/", Map.of(), Map.of(), new byte[0])).status())
                .isEqualTo(404);
        assertThat(zapier.handle(new SandboxRequest("POST", "/hooks/catch/1/a/", Map.of(),
                Map.of("content-type", "application/json"), "{".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(400);
        assertThat(zapier.state("hooks").size()).isEqualTo(1);

        MakeSandbox make = new MakeSandbox();
        assertThat(make.handle(new SandboxRequest("POST", "/abcdefghijklmnopqrstuvwxyz123456", Map.of(),
                Map.of("content-type", "application/json"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(200);
        assertThat(make.handle(new SandboxRequest("POST", "/short", Map.of(),
                Map.of("content-type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(404);
        assertThat(make.handle(new SandboxRequest("POST", "/abcdefghijklmnopqrstuvwxyz123456", Map.of(),
                Map.of("content-type", "application/json"), new byte[MakeSandbox.MAX_BODY + 1])).status()).isEqualTo(413);
    }
}
