package io.marketingbus.platform.mailchimp;

import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.ingress.WebhookRejectedException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.platform.mailchimp.MailchimpWebhook;
import io.marketingbus.platform.mailchimp.MailchimpWebhookTranslator;
import io.marketingbus.platform.mailchimp.MailchimpEchoes;
import io.marketingbus.platform.mailchimp.MalformedWebhookException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of the Mailchimp webhook: checks the URL secret, reads the form, translates it and leaves the
 * canonical event's JSON as the body with the contact key as the Kafka key. The raw request is kept in
 * {@link IngressExchange#RAW_REQUEST} so a rejection can be dead-lettered as it came.
 */
public final class MailchimpIngress {

    private final SharedSecret secret;
    private final MailchimpWebhookTranslator translator;
    private final EventCodec codec;
    private final MailchimpEchoes echoes;
    private final EventTimeWindow firedAtWindow;

    /** @param firedAtWindow the {@code fired_at} values accepted */
    public MailchimpIngress(SharedSecret secret, MailchimpWebhookTranslator translator, EventCodec codec,
                            MailchimpEchoes echoes, EventTimeWindow firedAtWindow) {
        this.secret = secret;
        this.translator = translator;
        this.codec = codec;
        this.echoes = echoes;
        this.firedAtWindow = firedAtWindow;
    }

    public void authenticate(Exchange exchange) {
        if (!secret.matches(exchange.getMessage().getHeader("secret", String.class))) {
            throw new WebhookRejectedException(401, "unknown webhook URL", false);
        }
    }

    public void translate(Exchange exchange) {
        Message message = exchange.getMessage();
        // formFields keeps the request as it came (RAW_REQUEST) for a dead letter
        Map<String, List<String>> fields = formFields(exchange);
        try {
            Optional<CloudEvent> event = translator.toCanonical(MailchimpWebhook.of(FormFields.nest(fields)));
            String type = fields.get("type").get(0);
            if (event.isEmpty()) {
                exchange.setProperty(IngressExchange.FORWARD, false);
                exchange.setProperty(IngressExchange.EVENT_TYPE, "mailchimp." + type);
                return;
            }
            firedAtWindow.check("fired_at", fields.get("fired_at").get(0), java.time.Instant.parse(event.get().time()));
            if (echoes.isEcho(type, event.get().data().contact().email())) {
                exchange.setProperty(IngressExchange.FORWARD, false);
                exchange.setProperty(IngressExchange.EVENT_TYPE, "mailchimp." + type + " caused by the bus's own write");
                return;
            }
            byte[] json = codec.toJson(event.get());
            IngressExchange.prepareForBus(exchange, event.get(), json);
        } catch (MalformedWebhookException | InvalidEventException e) {
            throw new WebhookRejectedException(400, e.getMessage(), true);
        }
        message.setHeader("secret", null);
    }

    /**
     * platform-http hands a form body over as a map of fields; anything else reaches us as text, which we keep as
     * the raw request and reject.
     */
    private static Map<String, List<String>> formFields(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            map.forEach((k, v) -> fields.put(String.valueOf(k), values(v)));
            // kept before the checks, so a refused form is dead-lettered with its fields
            exchange.setProperty(IngressExchange.RAW_REQUEST, FormFields.encode(fields).getBytes(StandardCharsets.UTF_8));
            return checked(fields);
        }
        String text = exchange.getMessage().getBody(String.class);
        exchange.setProperty(IngressExchange.RAW_REQUEST, text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (text == null || text.isBlank()) {
            throw new WebhookRejectedException(400, "empty body: Mailchimp sends form-encoded audience events", true);
        }
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw new WebhookRejectedException(415, "expected Content-Type application/x-www-form-urlencoded, got "
                    + (contentType == null ? "none" : contentType), true);
        }
        return checked(FormFields.decode(text));
    }

    /** Mailchimp's audience events are a few dozen short fields; anything far beyond is refused. */
    static final int MAX_FIELDS = 200;
    static final int MAX_FIELD_LENGTH = 4096;

    private static Map<String, List<String>> checked(Map<String, List<String>> fields) {
        if (fields.size() > MAX_FIELDS) {
            throw new WebhookRejectedException(400, "more than " + MAX_FIELDS + " form fields", true);
        }
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                if (field.getKey().length() > 256 || value.length() > MAX_FIELD_LENGTH) {
                    throw new WebhookRejectedException(400, "form field '" + field.getKey().substring(0,
                            Math.min(40, field.getKey().length())) + "' is too long", true);
                }
                if (value.indexOf('\uFFFD') >= 0 || field.getKey().indexOf('\uFFFD') >= 0) {
                    throw new WebhookRejectedException(400, "form field '" + field.getKey() + "' is not valid UTF-8", true);
                }
                if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                    throw new WebhookRejectedException(400, "form field '" + field.getKey() + "' holds control characters", true);
                }
            }
        }
        return fields;
    }

    private static List<String> values(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(v -> values.add(String.valueOf(v)));
        } else {
            values.add(value == null ? "" : String.valueOf(value));
        }
        return values;
    }
}
