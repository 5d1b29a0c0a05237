package io.marketingbus.platform.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformRejectedException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/** camel-whatsapp's failures, read as the delivery's retry policy needs them. */
class WhatsAppConnectorTest {

    static final String URI = "http://localhost/sandbox/whatsapp/v25.0/106540352242922/messages";

    static Exception failure(int status, String body) {
        return WhatsAppConnector.failure(new RuntimeCamelException(URI + " responded: " + status + " and body: " + body));
    }

    static String graph(int code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code + ",\"fbtrace_id\":\"A\"}}";
    }

    @Test
    void aRecipientNotInTheAllowedListIsARejectionWithGraphsMessageNeverRetried() {
        Exception e = failure(400, graph(131030, "(#131030) Recipient phone number not in allowed list"));
        assertThat(e).isInstanceOf(PlatformRejectedException.class).hasMessageContaining("131030")
                .hasMessageContaining("not in allowed list");
        assertThat(DeliveryRetryPolicy.isTransient(e)).isFalse();
    }

    @Test
    void throughputAndPairRateErrorsPauseTheDestinationAsA429() {
        for (int code : new int[] {130429, 131056}) {
            Exception e = failure(400, graph(code, "(#" + code + ") Rate limit hit"));
            assertThat(DeliveryRetryPolicy.isRateLimited(e)).as("code %d", code).isTrue();
        }
        assertThat(DeliveryRetryPolicy.isRateLimited(failure(429, "{}"))).isTrue();
    }

    @Test
    void aServerErrorIsRetriedAndNoAnswerIsAnIoError() {
        assertThat(DeliveryRetryPolicy.isTransient(failure(500, graph(1, "An unknown error occurred")))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(failure(400, graph(131000, "Something went wrong")))).isTrue();
        Exception none = failure(WhatsAppHttpClient.IO_FAILURE_STATUS, WhatsAppHttpClient.IO_FAILURE_MARK + "ConnectException null");
        assertThat(none).isInstanceOf(IOException.class);
        assertThat(DeliveryRetryPolicy.isTransient(none)).isTrue();
    }

    @Test
    void anythingElseIsLeftAsItWas() {
        RuntimeCamelException other = new RuntimeCamelException("Could not serialize");
        assertThat(WhatsAppConnector.failure(other)).isSameAs(other);
    }
}
