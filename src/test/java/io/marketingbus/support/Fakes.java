package io.marketingbus.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Answers the WireMock platform fakes give. */
public final class Fakes {

    private Fakes() {
    }

    /** 200 with a JSON body, as the platforms answer a successful call. */
    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
