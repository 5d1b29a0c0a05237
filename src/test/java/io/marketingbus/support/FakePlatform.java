package io.marketingbus.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * A platform's API faked by WireMock, started on a port the OS chose, that knows the setting pointing the bus at it
 * ({@code <platform>.base-url}, with the API's base path). {@link RunningBus#startWith} starts a bus on the fakes.
 * Stubs, verifications and request journals are WireMock's own.
 */
public final class FakePlatform extends WireMockServer {

    private final String platform;
    private final String basePath;

    private FakePlatform(String platform, String basePath) {
        super(wireMockConfig().dynamicPort());
        this.platform = platform;
        this.basePath = basePath;
    }

    /** A fake of the platform whose settings start with {@code platform.}, its API under {@code basePath}. */
    public static FakePlatform started(String platform, String basePath) {
        FakePlatform fake = new FakePlatform(platform, basePath);
        fake.start();
        return fake;
    }

    public static FakePlatform hubspot() {
        return started("hubspot", "");
    }

    public static FakePlatform facebook() {
        return started("facebook", "");
    }

    public static FakePlatform googleAds() {
        return started("google-ads", "");
    }

    public static FakePlatform ga4() {
        return started("ga4", "");
    }

    /** Mailchimp's Marketing API, under /3.0. */
    public static FakePlatform mailchimp() {
        return started("mailchimp", "/3.0");
    }

    /** ActiveCampaign's API, under /api/3. */
    public static FakePlatform activeCampaign() {
        return started("activecampaign", "/api/3");
    }

    /** The URL the bus calls the platform at: this fake's address and the API's base path. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + basePath;
    }

    /** The setting that points the bus at this fake, e.g. {@code hubspot.base-url}. */
    public String baseUrlSetting() {
        return platform + ".base-url";
    }

    /** Stops each fake given that was started (a null one, which a failed set-up may leave, is passed over). */
    public static void stopAll(FakePlatform... fakes) {
        for (FakePlatform fake : fakes) {
            if (fake != null && fake.isRunning()) {
                fake.stop();
            }
        }
    }
}
