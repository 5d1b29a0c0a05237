package io.marketingbus.platform.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import io.marketingbus.config.Settings;
import io.marketingbus.platform.PlatformApi;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixpanelPlatformTest {

    static Settings settings(String... keysAndValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(properties);
        return new Settings(context);
    }

    @ParameterizedTest
    @CsvSource({"us, https://api.mixpanel.com", "eu, https://api-eu.mixpanel.com", "EU, https://api-eu.mixpanel.com",
            "in, https://api-in.mixpanel.com", "mars, https://set-mixpanel.region-to-us-eu-or-in.invalid"})
    void theRegionPicksTheResidencysHost(String region, String host) {
        PlatformApi api = new MixpanelPlatform().apis().get(0);

        assertThat(api.vendorBaseUrl().apply(settings("mixpanel.region", region))).isEqualTo(host);
        assertThat(api.vendorBaseUrl().apply(settings())).isEqualTo("https://api.mixpanel.com");
        assertThat(api.used().test(settings())).as("used with every delivery off").isFalse();
        assertThat(api.used().test(settings("mixpanel.profiles.enabled", "true"))).isTrue();
    }
}
