package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import io.marketingbus.config.Settings;
import io.marketingbus.platform.PlatformApi;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The catalog is a live API needing facebook.catalog-id only when enabled and not served by the dev sandbox. */
class FacebookPlatformTest {

    static boolean catalogUsed(Map<String, String> values) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(values);
        context.getPropertiesComponent().setOverrideProperties(properties);
        PlatformApi catalog = new FacebookPlatform().apis().stream().filter(a -> a.name().equals("facebook-catalog"))
                .findFirst().orElseThrow();
        assertThat(catalog.requiredKeys()).contains("facebook.catalog-id", "facebook.access-token");
        return catalog.used().test(new Settings(context));
    }

    @Test
    void theCatalogNeedsItsIdOnlyWhenEnabledAgainstMeta() {
        assertThat(catalogUsed(Map.of("facebook.catalog.enabled", "true",
                "facebook.base-url", "https://graph.facebook.com"))).isTrue();
        assertThat(catalogUsed(Map.of("facebook.catalog.enabled", "false",
                "facebook.base-url", "https://graph.facebook.com"))).isFalse();
        assertThat(catalogUsed(Map.of("facebook.catalog.enabled", "true",
                "facebook.base-url", "http://127.0.0.1:8080/sandbox/facebook"))).isFalse();
    }
}
