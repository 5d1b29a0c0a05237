package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.config.ProdSecrets;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In prod, a flow that uses Salesforce requires the connected app's credentials and refuses the sandbox's. */
class SalesforceProdTest {

    @TempDir
    Path dataDir;

    static <T extends Throwable> Throwable cause(Throwable failure, Class<T> type) {
        while (failure != null && !type.isInstance(failure)) {
            failure = failure.getCause();
        }
        return failure;
    }

    @Test
    void salesforceAsTheCrmRequiresTheConnectedAppsCredentials() {
        Map<String, String> settings = ProfilesTest.prodSettings();
        settings.put("crm.provider", "salesforce");
        Throwable failure = cause(org.assertj.core.api.Assertions.catchThrowable(() -> RunningBus.start(dataDir, settings)),
                MissingSettingException.class);
        assertThat(failure).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("salesforce.oauth.client-id (environment variable SALESFORCE_OAUTH_CLIENT_ID)")
                .hasMessageContaining("salesforce.oauth.refresh-token");
    }

    @Test
    void theSandboxCredentialsAreRefusedAndRealOnesAccepted() {
        Map<String, String> settings = ProfilesTest.prodSettings();
        settings.put("crm.provider", "both");
        settings.put("salesforce.oauth.client-id", "3MVG9sandboxClientId");
        settings.put("salesforce.oauth.client-secret", "sandbox-salesforce-secret");
        settings.put("salesforce.oauth.refresh-token", "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJYl");
        Throwable failure = cause(org.assertj.core.api.Assertions.catchThrowable(() -> RunningBus.start(dataDir, settings)),
                InsecureSettingException.class);
        assertThat(failure).isInstanceOf(InsecureSettingException.class)
                .hasMessageContaining("salesforce.oauth.client-secret (environment variable SALESFORCE_OAUTH_CLIENT_SECRET): a dev/sandbox value")
                .hasMessageNotContaining("salesforce.oauth.refresh-token");

        settings.put("salesforce.oauth.client-id", "3MVG9A2kN3Bn17hsWsLDatnG5L0Rh7eRKXw0fZQjTt1ycLa");
        settings.put("salesforce.oauth.client-secret", "E1C4A9B2D7F03E5C8A6B1D9F2E4C7A0B3D5F8E1A4C7B0D3E6F9A2C5B8E1D4F7A");
        assertThat(ProdSecrets.problems(key -> java.util.Optional.ofNullable(settings.get(key)))).isEmpty();
    }
}
