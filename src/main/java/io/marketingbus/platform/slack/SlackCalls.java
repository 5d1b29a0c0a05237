package io.marketingbus.platform.slack;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.gson.Gson;
import com.slack.api.methods.SlackApiException;
import com.slack.api.model.Message;
import com.slack.api.util.json.GsonFactory;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The bus's side of camel-slack's producer (routes/platforms/slack.camel.yaml): turns a {@code chat.postMessage}
 * {@link PlatformRequest} into the Slack SDK {@link Message} camel-slack sends, and turns what camel-slack reports
 * into the failures the delivery machinery understands (docs/platforms/slack.md §5):
 * <ul>
 * <li>{@code 200 {"ok":false,"error":"channel_not_found"}}: camel-slack 4.18 fails the exchange with a
 * {@code CamelExchangeException} whose message is the SDK's response {@code toString()}; the bus makes it a
 * {@link PlatformRejectedException} whose reason is Slack's error code (dead-lettered, never retried), except for
 * the errors Slack documents as temporary, which stay retryable;</li>
 * <li>an HTTP error (429 with {@code Retry-After}, 5xx): the SDK's {@link SlackApiException} becomes an
 * {@link HttpOperationFailedException} with the status and headers, so a 429 pauses the destination for
 * {@code Retry-After} seconds (DestinationPacing, through {@link DeliveryRetryPolicy}) and a 5xx is retried.</li>
 * </ul>
 */
public final class SlackCalls {

    /** The channel of the message, for the endpoint and the per-channel throttle. */
    public static final String CHANNEL = "slackChannel";
    /** Slack's own errors that are worth another try (api.slack.com/methods/chat.postMessage, "Errors"). */
    static final Set<String> TEMPORARY = Set.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "ratelimited");
    private static final Pattern ERROR = Pattern.compile("[(,]\\s*error=([A-Za-z0-9_]+)");
    private static final Gson GSON = GsonFactory.createSnakeCase();

    /** The channel whose turn this exchange holds, from {@link #pace} until the answer is read. */
    static final String TURN = "slackChannelTurn";

    private final DeliveryRetryPolicy retryPolicy;
    private final long spacingMillis;
    private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();
    private final Map<String, Long> lastAnswered = new ConcurrentHashMap<>();

    /** @param messagesPerSecond per channel (Slack: about 1) */
    public SlackCalls(DeliveryRetryPolicy retryPolicy, double messagesPerSecond) {
        this.retryPolicy = retryPolicy;
        this.spacingMillis = (long) Math.ceil(1000 / messagesPerSecond);
    }

    /**
     * One message at a time per channel, each sent at least 1/{@code messagesPerSecond} after the channel's previous
     * answer. Spaced from the answer, not from when the previous call left: Slack counts arrivals, and a call's way
     * there varies (the SDK's first call of a token asks {@code auth.test} first), so a throttle at the route's
     * entry let a warm call arrive 412 ms after a cold one (docs/platforms/slack.md §6). Released by {@link #answer}
     * or {@link #failed}.
     */
    public void pace(Exchange exchange) {
        String channel = exchange.getProperty(CHANNEL, String.class);
        Semaphore turn = turns.computeIfAbsent(channel, c -> new Semaphore(1, true));
        try {
            turn.acquire();
            exchange.setProperty(TURN, channel);
            long wait = lastAnswered.getOrDefault(channel, 0L) + spacingMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        } catch (InterruptedException e) {
            // the bus is stopping: as DestinationPacing.awaitTurn, the call fails and its batch stays uncommitted
            release(exchange);
            Thread.currentThread().interrupt();
            throw new org.apache.camel.RuntimeCamelException("interrupted while waiting for Slack channel " + channel, e);
        }
    }

    private void release(Exchange exchange) {
        String channel = exchange.getProperty(TURN, String.class);
        if (channel != null) {
            exchange.removeProperty(TURN);
            lastAnswered.put(channel, System.currentTimeMillis());
            turns.get(channel).release();
        }
    }

    /** The request in the body becomes camel-slack's {@link Message}; its channel goes to {@link #CHANNEL}. */
    public void prepare(Exchange exchange) {
        PlatformRequest request = exchange.getMessage().getBody(PlatformRequest.class);
        if (request == null || !SlackMessages.PATH.equals(request.path()) || request.body() == null) {
            throw new IllegalArgumentException("the Slack connector posts chat.postMessage requests only, not "
                    + (request == null ? "an empty body" : request.path()));
        }
        String destination = exchange.getProperty(DeliveryExchange.DESTINATION, "slack", String.class);
        exchange.setProperty(DeliveryExchange.DESTINATION, destination);
        retryPolicy.awaitTurn(destination);
        Message message = toMessage(request.body());
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(CHANNEL, message.getChannel());
        exchange.setProperty(CHANNEL, message.getChannel());
        exchange.getMessage().setBody(message);
    }

    static Message toMessage(JsonNode body) {
        Message message = GSON.fromJson(body.toString(), Message.class);
        if (message.getChannel() == null || message.getChannel().isBlank()) {
            throw new IllegalArgumentException("a Slack message needs a channel (slack.channel)");
        }
        return message;
    }

    /** camel-slack sent the message and Slack said ok: the body becomes {@code {"ok":true}}. */
    public void answer(Exchange exchange) {
        release(exchange);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(JsonNodeFactory.instance.objectNode().put("ok", true)
                .put("channel", exchange.getProperty(CHANNEL, String.class)));
    }

    /** Rethrows what camel-slack reported as a failure the delivery machinery understands. */
    public void failed(Exchange exchange) throws Exception {
        release(exchange);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String destination = exchange.getProperty(DeliveryExchange.DESTINATION, "slack", String.class);
        Exception failure = translate(caught);
        if (failure instanceof HttpOperationFailedException http && http.getStatusCode() == 429) {
            // every later call of the destination waits for Slack's Retry-After, whoever makes it (alerts too)
            retryPolicy.delayAfter(destination, failure, 1);
        }
        throw failure;
    }

    static Exception translate(Exception caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof SlackApiException api) {
                okhttp3.Response response = api.getResponse();
                int status = response == null ? 500 : response.code();
                String retryAfter = response == null ? null : response.header("Retry-After");
                return new HttpOperationFailedException(response == null ? "slack" : response.request().url().toString(),
                        status, response == null ? "" : response.message(), null,
                        retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), api.getResponseBody());
            }
            if (t instanceof IOException) {
                return (IOException) t;
            }
        }
        String message = caught == null ? null : caught.getMessage();
        Matcher error = message == null ? null : ERROR.matcher(message);
        if (error != null && message.contains("ok=false") && error.find()) {
            String code = error.group(1);
            if (TEMPORARY.contains(code)) {
                return new IOException("Slack answered " + code + " (temporary)", caught);
            }
            return new PlatformRejectedException("slack", 200, "Slack refused the message: " + code, message);
        }
        return caught == null ? new IllegalStateException("camel-slack failed without an exception") : caught;
    }
}
