package io.marketingbus.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

class OAuthTokensTest {

    private final MovableClock clock = new MovableClock("2026-11-29T10:00:00Z");
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> forms = new ArrayList<>();

    private OAuthTokens tokens(long expiresIn) {
        return new OAuthTokens("hubspot", OAuthTokens.refreshToken("client-1", "secret-client", "refresh-secret"), form -> {
            synchronized (forms) {
                forms.add(form);
            }
            return new OAuthTokens.Answer(200, "{\"access_token\":\"t" + calls.incrementAndGet() + "\",\"expires_in\":" + expiresIn + "}");
        }, clock);
    }

    @Test
    void postsTheRefreshTokenGrantAndKeepsTheTokenUntilTheMargin() throws Exception {
        OAuthTokens tokens = tokens(100);
        assertThat(tokens.token()).isEqualTo("t1");
        assertThat(forms.get(0)).isEqualTo("grant_type=refresh_token&client_id=client-1&client_secret=secret-client"
                + "&refresh_token=refresh-secret");
        clock.advance(Duration.ofSeconds(89));
        assertThat(tokens.token()).isEqualTo("t1");
        // 10 % of a 100 s life: refreshed from 90 s on, before it expires
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.token()).isEqualTo("t2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void theMarginIsAtMostFiveMinutes() throws Exception {
        OAuthTokens tokens = tokens(3599);
        assertThat(tokens.token()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(3599 - 301));
        assertThat(tokens.token()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.token()).isEqualTo("t2");
    }

    @Test
    void manyThreadsShareOneRefresh() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        OAuthTokens tokens = new OAuthTokens("google-ads", OAuthTokens.refreshToken("c", "s", "r"), form -> {
            inside.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new OAuthTokens.Answer(200, "{\"access_token\":\"t" + calls.incrementAndGet() + "\",\"expires_in\":3599}");
        }, clock);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> got = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return tokens.token();
                }));
            }
            start.countDown();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            for (Future<String> f : got) {
                seen.add(f.get());
            }
            assertThat(seen).containsExactly("t1");
            assertThat(calls).hasValue(1);

            // many threads told 401 with the same token: one refresh, all take its token
            List<Future<String>> again = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                again.add(pool.submit(() -> tokens.refreshAfterRejection("t1")));
            }
            seen.clear();
            for (Future<String> f : again) {
                seen.add(f.get());
            }
            assertThat(seen).containsExactly("t2");
            assertThat(calls).hasValue(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedTokenIsRefreshedOnceUnlessAlreadyReplaced() throws Exception {
        OAuthTokens tokens = tokens(3599);
        assertThat(tokens.token()).isEqualTo("t1");
        assertThat(tokens.refreshAfterRejection("t1")).isEqualTo("t2");
        // a late 401 for the old token: the new one is still good, no call
        assertThat(tokens.refreshAfterRejection("t1")).isEqualTo("t2");
        assertThat(calls).hasValue(2);
        assertThat(TokenSource.fixed("pat").refreshAfterRejection("pat")).isNull();
    }

    @Test
    void invalidGrantIsASetupErrorRememberedWithoutSecrets() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        String[] answer = {"{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"};
        int[] status = {400};
        OAuthTokens tokens = new OAuthTokens("google-ads", OAuthTokens.refreshToken("client-1", "secret-client",
                "refresh-secret"), form -> {
            asked.incrementAndGet();
            return new OAuthTokens.Answer(status[0], answer[0]);
        }, clock);
        assertThat(tokens.problem()).isNull();
        assertThatThrownBy(tokens::token).isInstanceOf(CredentialsRejectedException.class)
                .hasMessageContaining("invalid_grant").hasMessageContaining("google-ads")
                .hasMessageNotContaining("refresh-secret").hasMessageNotContaining("secret-client");
        assertThat(tokens.problem()).isEqualTo("invalid_grant: Token has been expired or revoked.");
        // held events asking again within the recheck period do not reach the token endpoint
        assertThatThrownBy(tokens::token).isInstanceOf(CredentialsRejectedException.class);
        assertThat(asked).hasValue(1);
        status[0] = 200;
        answer[0] = "{\"access_token\":\"fixed\",\"expires_in\":3599}";
        clock.advance(OAuthTokens.RECHECK.plusSeconds(1));
        assertThat(tokens.token()).isEqualTo("fixed");
        assertThat(tokens.problem()).isNull();
    }

    @Test
    void aTokenEndpointThatIsDownIsTransientAndTheValidTokenIsKeptMeanwhile() throws Exception {
        boolean[] down = {false};
        OAuthTokens tokens = new OAuthTokens("hubspot", OAuthTokens.refreshToken("c", "s", "r"), form -> {
            if (down[0]) {
                return new OAuthTokens.Answer(503, "");
            }
            return new OAuthTokens.Answer(200, "{\"access_token\":\"t" + calls.incrementAndGet() + "\",\"expires_in\":1800}");
        }, clock);
        assertThat(tokens.token()).isEqualTo("t1");
        down[0] = true;
        clock.advance(Duration.ofSeconds(1700));
        assertThat(tokens.token()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(101));
        assertThatThrownBy(tokens::token).isInstanceOf(IOException.class);
        assertThat(tokens.problem()).isNull();
    }

    @Test
    void theJwtBearerAssertionVerifiesWithTheServiceAccountsPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        ObjectMapper mapper = new ObjectMapper();
        String keyFile = mapper.createObjectNode().put("type", "service_account").put("private_key_id", "kid-1")
                .put("private_key", pem).put("client_email", "bus@project.iam.gserviceaccount.com").toString();
        GoogleServiceAccount account = GoogleServiceAccount.parse(keyFile);

        String jwt = account.assertion("https://www.googleapis.com/auth/adwords", "https://oauth2.googleapis.com/token",
                clock.instant());
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(pair.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo("kid-1");
        assertThat(claims.path("iss").asText()).isEqualTo("bus@project.iam.gserviceaccount.com");
        assertThat(claims.path("scope").asText()).isEqualTo("https://www.googleapis.com/auth/adwords");
        assertThat(claims.path("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(claims.path("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(account.publicKey()).isEqualTo(pair.getPublic());

        // the grant posts it with Google's grant type
        String form = OAuthTokens.encode(OAuthTokens.jwtBearer(account, "scope-x", "https://t.example/token")
                .form(clock.instant()));
        assertThat(form).startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey");
    }
}
