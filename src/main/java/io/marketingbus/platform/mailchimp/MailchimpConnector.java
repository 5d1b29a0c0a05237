package io.marketingbus.platform.mailchimp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.marketingbus.platform.Connector;
import org.apache.camel.Exchange;

/** Mailchimp's Marketing API (docs/platforms/mailchimp.md §3): HTTP Basic, any user name, the API key as password. */
public final class MailchimpConnector implements Connector {

    private final String authorization;

    public MailchimpConnector(String apiKey) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(("marketing-bus:" + apiKey)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void authorize(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", authorization);
    }
}
