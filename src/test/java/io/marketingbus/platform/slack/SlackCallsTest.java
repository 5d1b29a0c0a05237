package io.marketingbus.platform.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformRejectedException;
import org.apache.camel.CamelExchangeException;
import org.junit.jupiter.api.Test;

/**
 * What camel-slack 4.18 reports for {@code 200 {"ok":false}} (a CamelExchangeException carrying the SDK response's
 * toString, seen end to end in SlackNotificationsTest) becomes a rejection with Slack's error as the reason.
 */
class SlackCallsTest {

    static final String CAMEL_SLACK_OK_FALSE = "Error POSTing to Slack API: ChatPostMessageResponse(ok=false, "
            + "warning=null, error=%s, needed=null, provided=null, deprecatedArgument=null, errors=null, "
            + "httpResponseHeaders={}, channel=null, ts=null, message=null, responseMetadata=null)";

    @Test
    void okFalseIsARejectionWhoseReasonIsSlacksError() {
        Exception failure = SlackCalls.translate(new CamelExchangeException(
                String.format(CAMEL_SLACK_OK_FALSE, "channel_not_found"), null));

        assertThat(failure).isInstanceOf(PlatformRejectedException.class)
                .hasMessage("Slack refused the message: channel_not_found");
        assertThat(DeliveryRetryPolicy.isTransient(failure)).isFalse();
    }

    @Test
    void slacksTemporaryErrorsStayRetryable() {
        Exception failure = SlackCalls.translate(new CamelExchangeException(
                String.format(CAMEL_SLACK_OK_FALSE, "internal_error"), null));

        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(DeliveryRetryPolicy.isTransient(failure)).isTrue();
    }
}
