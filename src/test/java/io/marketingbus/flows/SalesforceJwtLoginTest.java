package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT bearer flow: camel-salesforce signs an assertion with the key of a PKCS12 keystore, the sandbox checks it
 * against the certificate (issuer = consumer key, subject = user, audience = login URL) and only then opens a session.
 */
class SalesforceJwtLoginTest {

    static final String SECRET = "s3cret-path-jwt16";
    static final String PASSWORD = "keystore-pass-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void aSignedAssertionLogsInAndTheContactIsUpserted() throws Exception {
        Path keystore = dataDir.resolve("connected-app.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "connected-app", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=marketing-bus",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).inheritIO().start();
        assertThat(keytool.waitFor()).isZero();

        try (RunningBus bus = RunningBus.start(dataDir, Map.of("crm.provider", "salesforce", "mailchimp.webhook-secret", SECRET,
                "salesforce.oauth.jwt-keystore", keystore.toString(), "salesforce.oauth.jwt-keystore-password", PASSWORD,
                "salesforce.oauth.username", "integration@example.com"))) {
            bus.postForm("/webhooks/mailchimp/" + SECRET, Samples.text("mailchimp-subscribe.form"));

            ObjectMapper mapper = new ObjectMapper();
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/salesforce/Lead").body()
                    .contains("lucia.martin@example.com"));
            JsonNode tokens = mapper.readTree(bus.get("/sandbox/salesforce/tokens").body());
            assertThat(tokens.get("issuedForJwt").asInt()).isEqualTo(tokens.get("issued").asInt()).isPositive();
        }
    }
}
