package io.marketingbus.api.hooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.DeliveryEnvelope;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.IngressExchange;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform's hooks (Zapier's, Make's) and how an event reaches them, in two steps (docs/api-hooks.md "Delivery"):
 * <ol>
 *   <li>{@link #fanOut}: an event of a public topic becomes one copy per hook that takes it, on the platform's
 *   hook topic ({@code marketing.<platform>-hooks}, keyed by hook id), its id {@code <event id>@<hook id>};</li>
 *   <li>{@link #request}: each copy is one POST of the flat JSON to its hook's URL.</li>
 * </ol>
 * The unit of delivery is (event, hook): retries, dead letters and delivered ids are per copy, so a hook that keeps
 * failing dead-letters only its own copies and the other hooks still get the event once each.
 */
public class HookDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(HookDeliveries.class);
    static final String COPY_SEPARATOR = "@";

    private final String platform;
    private final List<Hook> configured;
    private final HookSubscriptions subscriptions;
    private final EventCodec codec;
    private final HookPayloads payloads;
    private final int maxBodyBytes;
    private final String hookTopic;
    private ProducerTemplate producer;

    /**
     * @param subscriptions REST-hook subscriptions of this platform, or null when it has none
     * @param maxBodyBytes  the platform's largest accepted body
     */
    public HookDeliveries(String platform, List<Hook> configured, HookSubscriptions subscriptions, EventCodec codec,
                          int maxBodyBytes) {
        this.platform = platform;
        this.configured = List.copyOf(configured);
        this.subscriptions = subscriptions;
        this.codec = codec;
        this.payloads = new HookPayloads(codec.mapper());
        this.maxBodyBytes = maxBodyBytes;
        this.hookTopic = "marketing." + platform + "-hooks";
    }

    /**
     * Hooks from a setting: {@code <name>|<url>|<types>[|personal-data]}, hooks separated by {@code ;}, types by
     * {@code ,} ({@code leads|https://hooks.zapier.com/hooks/catch/1/ab/|marketing.contact.*,marketing.conversion.purchase}).
     *
     * @throws IllegalArgumentException naming the hook and what is wrong with it
     */
    public static List<Hook> parse(String platform, String setting, HookTargets targets) {
        Map<String, Hook> hooks = new LinkedHashMap<>();
        for (String entry : (setting == null ? "" : setting).split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("\\|");
            if (parts.length < 3 || parts.length > 4 || parts[0].isBlank()) {
                throw new IllegalArgumentException(platform + ".hooks: an entry is not <name>|<url>|<types>[|personal-data]");
            }
            String name = parts[0].trim();
            if (!name.matches("[A-Za-z0-9_-]{1,40}")) {
                throw new IllegalArgumentException(platform + ".hooks: hook name " + name + " is not letters, digits, - or _");
            }
            String problem = targets.problem(parts[1].trim());
            if (problem != null) {
                throw new IllegalArgumentException(platform + ".hooks: hook " + name + ": " + problem.replace("target_url", "its URL"));
            }
            List<String> events = new ArrayList<>();
            for (String type : parts[2].split(",")) {
                if (!type.isBlank()) {
                    if (!Hook.EVENT_PATTERN.matcher(type.trim()).matches()) {
                        throw new IllegalArgumentException(platform + ".hooks: hook " + name + ": " + type.trim()
                                + " is not an event type or pattern (marketing.contact.*)");
                    }
                    events.add(type.trim());
                }
            }
            if (events.isEmpty()) {
                throw new IllegalArgumentException(platform + ".hooks: hook " + name + " has no event type");
            }
            boolean personal = parts.length == 4 && parts[3].trim().equals("personal-data");
            if (parts.length == 4 && !personal) {
                throw new IllegalArgumentException(platform + ".hooks: hook " + name + ": option " + parts[3].trim()
                        + " unknown (personal-data)");
            }
            if (hooks.put(name, new Hook("cfg-" + name, platform, name, parts[1].trim(), events, personal, false)) != null) {
                throw new IllegalArgumentException(platform + ".hooks: hook " + name + " twice");
            }
        }
        return List.copyOf(hooks.values());
    }

    /** Every hook of this platform: the configured ones, then the subscriptions. */
    public List<Hook> hooks() {
        List<Hook> all = new ArrayList<>(configured);
        if (subscriptions != null) {
            subscriptions.all().stream().filter(h -> h.platform().equals(platform)).forEach(all::add);
        }
        return all;
    }

    Hook hook(String id) {
        for (Hook hook : configured) {
            if (hook.id().equals(id)) {
                return hook;
            }
        }
        Hook subscribed = subscriptions == null ? null : subscriptions.find(id);
        return subscribed != null && subscribed.platform().equals(platform) ? subscribed : null;
    }

    /**
     * Step 1, the handler of each public topic's delivery: writes one copy of the event per hook that takes it to the
     * hook topic, and returns once Kafka has them all. An event that came from this platform goes to none of its
     * hooks (loop guard), and an event no hook takes is skipped, saying why.
     */
    public void fanOut(Exchange exchange) throws Exception {
        CloudEvent event = exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
        DeliveryEnvelope envelope = exchange.getContext().getRegistry().lookupByNameAndType("DeliveryEnvelope", DeliveryEnvelope.class);
        if (event.source() != null && event.source().startsWith("/" + platform + "/")) {
            envelope.skip(exchange, "came from " + platform + " (loop guard)");
            return;
        }
        int copies = 0;
        for (Hook hook : hooks()) {
            if (!hook.takes(event.type())) {
                continue;
            }
            String copyId = event.id() + COPY_SEPARATOR + hook.id();
            CloudEvent copy = new CloudEvent(event.specversion(), copyId, event.source(), event.type(), event.time(),
                    event.subject(), event.datacontenttype(), event.data());
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(KafkaConstants.KEY, hook.id());
            headers.put(io.marketingbus.event.EventCodec.CHECKED_HEADER, "1");
            Object acceptedAt = exchange.getProperty(IngressExchange.ACCEPTED_AT);
            if (acceptedAt != null) {
                headers.put(IngressExchange.ACCEPTED_AT_HEADER, acceptedAt.toString());
            }
            Exchange sent = producer(exchange).send("kafka:" + hookTopic, e -> {
                e.getMessage().setHeaders(headers);
                e.getMessage().setBody(codec.toJson(copy));
            });
            if (sent.getException() != null) {
                throw sent.getException();
            }
            copies++;
        }
        if (copies == 0) {
            envelope.skip(exchange, "no " + platform + " hook takes " + event.type());
        }
    }

    private synchronized ProducerTemplate producer(Exchange exchange) {
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        return producer;
    }

    /**
     * Step 2: the POST of one copy to its hook, or null when the hook is gone (unsubscribed since the copy was made).
     * A body over the platform's limit is refused here (dead-lettered with the reason), not sent to be refused.
     */
    public PlatformRequest request(CloudEvent copy) {
        int at = copy.id().lastIndexOf(COPY_SEPARATOR);
        if (at < 0) {
            throw new PlatformRejectedException(platform, 0, "not a hook copy: " + copy.id(), null);
        }
        Hook hook = hook(copy.id().substring(at + 1));
        if (hook == null) {
            return null;
        }
        ObjectNode body = payloads.flat(copy, copy.id().substring(0, at), hook.personalData());
        int size = body.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBodyBytes) {
            throw new PlatformRejectedException(platform, 413, "the event's JSON is " + size + " bytes, over "
                    + platform + "'s limit of " + maxBodyBytes, null);
        }
        return new PlatformRequest("POST", hook.url(), null, body);
    }

    /**
     * In the connector, after {@code PlatformCalls.prepare}: the request's path is the hook's whole URL, so it becomes
     * the URL called ({@code CamelHttpUri}) instead of a path below a base URL.
     */
    public void target(Exchange exchange) {
        Object url = exchange.getMessage().removeHeader(Exchange.HTTP_PATH);
        exchange.getMessage().setHeader(Exchange.HTTP_URI, url);
    }

    /** A 2xx: Zapier answers JSON, Make the text {@code Accepted}; neither is needed further. */
    public void answered(Exchange exchange) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(codec.mapper().createObjectNode());
    }

    /**
     * The hook answered an error: a 410 is {@link #gone}; any other is thrown on with the URL cut to scheme and host
     * (the hook's path is its credential: the failure's message ends up in logs and dead-letter reasons), its
     * status, headers ({@code Retry-After}) and body kept for the delivery's retry policy.
     */
    public void failed(Exchange exchange) throws Exception {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        if (failure.getStatusCode() == 410) {
            gone(exchange);
            return;
        }
        throw new HttpOperationFailedException(HookTargets.redact(failure.getUri()), failure.getStatusCode(),
                failure.getStatusText(), null, failure.getResponseHeaders(), failure.getResponseBody());
    }

    /**
     * The hook answered 410 Gone: a REST-hook subscription is deleted (Zapier's convention: the Zap was turned off),
     * and the copy counts as done; a configured hook cannot be, so its copy is dead-lettered with the reason.
     */
    public void gone(Exchange exchange) throws Exception {
        String url = (String) exchange.getMessage().getHeader(Exchange.HTTP_URI);
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        if (url == null && failure != null) {
            url = failure.getUri();
        }
        boolean removed = false;
        if (subscriptions != null) {
            for (Hook hook : subscriptions.all()) {
                if (hook.url().equals(url)) {
                    subscriptions.remove(hook.id());
                    LOG.info("{} hook {} ({}) answered 410 Gone: unsubscribed", platform, hook.id(), hook.redactedUrl());
                    removed = true;
                }
            }
        }
        if (!removed) {
            throw new PlatformRejectedException(platform, 410, "the hook answered 410 Gone: remove it from "
                    + platform + ".hooks", failure == null ? null : failure.getResponseBody());
        }
        answered(exchange);
    }
}
