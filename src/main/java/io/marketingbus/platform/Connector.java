package io.marketingbus.platform;

import io.marketingbus.delivery.PlatformCalls;
import org.apache.camel.Exchange;

/**
 * What differs between two platforms' HTTP connectors, the instances of the {@code platform-call} route template
 * ({@code routes/connectors/platform-call.camel.yaml}): how a call is authorised and how a 2xx answer is read. The
 * template names the bean by its class name ({@code api: HubSpotCrmConnector}).
 */
public interface Connector {

    /** Adds the platform's credentials to the prepared request (headers or query). */
    void authorize(Exchange exchange) throws Exception;

    /**
     * Reads a 2xx answer into the body (JSON, or an empty object). A platform that reports failures inside a 2xx
     * (HubSpot's 207, Slack's {@code "ok": false}) throws a {@code PlatformRejectedException} here.
     */
    default void readAnswer(Exchange exchange) throws Exception {
        PlatformCalls.readJson(exchange);
    }

    /**
     * The platform answered 401 to the call just made ({@link Exchange#EXCEPTION_CAUGHT}): renews the credential so
     * the template can try the call once more, or rethrows the 401 when the credential cannot be renewed (a static
     * token), which fails the call as any other 4xx.
     */
    default void reauthorize(Exchange exchange) throws Exception {
        throw caught(exchange);
    }

    static Exception caught(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return caught != null ? caught : new IllegalStateException("reauthorize without a failed call");
    }
}
