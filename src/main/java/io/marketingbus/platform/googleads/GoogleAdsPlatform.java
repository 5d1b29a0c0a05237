package io.marketingbus.platform.googleads;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.platform.Setting;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxTokens;
import io.marketingbus.platform.OAuthTokens;

/**
 * Google Ads (docs/platforms/google-ads.md): flow 2's Customer Match user lists. Connector:
 * {@code routes/platforms/google-ads.camel.yaml}.
 */
public final class GoogleAdsPlatform implements PlatformDescriptor {

    public static final String GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

    @Override
    public String name() {
        return "google-ads";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("google-ads.base-url", "dev: sandbox; prod: `https://googleads.googleapis.com`", "the Google Ads API"),
                Setting.of("google-ads.api-version", "`v24`", "API version"),
                Setting.secret("google-ads.access-token", "dev: sandbox value", "OAuth access token with the `adwords` scope, taken as given, never refreshed (when live: this or `google-ads.oauth.refresh-token` or a service-account key file)"),
                Setting.of("google-ads.oauth.client-id", "*(none)*", "OAuth client of the refresh token"),
                Setting.secret("google-ads.oauth.client-secret", "*(none)*", "its secret"),
                Setting.secret("google-ads.oauth.refresh-token", "*(none)*", "refresh token with the `adwords` scope: access tokens are refreshed before they expire"),
                Setting.of("google-ads.oauth.service-account-key-file", "*(none)*", "or a service account's JSON key file (JWT bearer grant)"),
                Setting.of("google-ads.oauth.token-url", "dev: sandbox; prod: `https://oauth2.googleapis.com/token`", "Google's token endpoint"),
                Setting.secret("google-ads.developer-token", "dev: sandbox value", "the developer token (required when live)"),
                Setting.of("google-ads.customer-id", "dev: sandbox value", "the customer account (required when live)"),
                Setting.of("google-ads.login-customer-id", "*(blank)*", "manager account acting for the customer"),
                Setting.of("google-ads.user-list-id", "dev: sandbox value", "the Customer Match user list (required when live)"),
                Setting.of("google-ads.high-value-user-list-id", "= `google-ads.user-list-id`", "the user list of high-value deals"),
                Setting.of("google-ads.requests-per-second", "`10`", "calls per second of an instance"));
    }

    @Override
    public List<PlatformApi> apis() {
        return List.of(PlatformApi.of("google-ads", "https://googleads.googleapis.com",
                List.of("google-ads.access-token|google-ads.oauth.refresh-token|google-ads.oauth.service-account-key-file",
                        "google-ads.developer-token", "google-ads.customer-id",
                        "google-ads.user-list-id"),
                PlatformApi.ordered("google-ads.access-token", "sandbox-google-ads", "google-ads.developer-token",
                        "sandbox-developer-token", "google-ads.customer-id", "1234567890",
                        "google-ads.user-list-id", "987654321")));
    }

    @Override
    public void bind(PlatformSetup setup) {
        Settings settings = setup.settings();
        setup.bind(new GoogleAdsTranslator(settings.get("google-ads.api-version", "v24"),
                settings.require("google-ads.customer-id")));
        setup.bind(new GoogleAdsConnector(OAuthTokens.forCredential(setup, "google-ads", "google-ads.access-token",
                        "google-ads.base-url", "/token", GOOGLE_TOKEN_URL, "https://www.googleapis.com/auth/adwords"),
                settings.get("google-ads.developer-token", ""), settings.get("google-ads.login-customer-id", "")));
    }

    @Override
    public List<BatchRule> batchRules(PlatformSetup setup) {
        return List.of(new GoogleAdsUserListJobs(setup.bean(GoogleAdsTranslator.class)));
    }

    @Override
    public List<SandboxPlatform> sandboxes(PlatformSetup setup) {
        Settings settings = setup.settings();
        String userList = settings.require("google-ads.user-list-id");
        return List.of(new GoogleAdsSandbox(SandboxTokens.of(settings, "google-ads", "google-ads.access-token",
                Duration.ofSeconds(3599), setup.clock()),
                settings.require("google-ads.developer-token"), settings.get("google-ads.api-version", "v24"),
                settings.require("google-ads.customer-id").replace("-", ""),
                Set.copyOf(List.of(userList, settings.get("google-ads.high-value-user-list-id", userList)))));
    }
}
