package io.marketingbus.platform.activecampaign;

import io.marketingbus.platform.Connector;
import org.apache.camel.Exchange;

/** ActiveCampaign's API v3 (docs/platforms/activecampaign.md §1): the key in the {@code Api-Token} header. */
public final class ActiveCampaignConnector implements Connector {

    private final String apiToken;

    public ActiveCampaignConnector(String apiToken) {
        this.apiToken = apiToken;
    }

    @Override
    public void authorize(Exchange exchange) {
        exchange.getMessage().setHeader("Api-Token", apiToken);
    }
}
