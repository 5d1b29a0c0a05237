package io.marketingbus.platform.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.event.Messaging;
import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The WhatsApp Cloud API webhook (docs/platforms/whatsapp.md §1–§2). GET is Meta's subscription handshake
 * ({@code hub.mode=subscribe}, {@code hub.verify_token}, {@code hub.challenge} echoed). POST is verified with
 * {@code X-Hub-Signature-256} ({@code sha256=} hex HMAC-SHA256 of the raw body with the app secret) before anything
 * is read: camel-whatsapp's webhook mode does not check it. Each status (sent, delivered, read, failed) becomes a
 * {@code marketing.message.status} event; an inbound text equal to an opt-out keyword ({@code STOP}) a
 * {@code marketing.contact.messaging-opted-out}, to an opt-in keyword ({@code START}) a
 * {@code marketing.contact.messaging-opted-in}; other messages and fields are acknowledged and counted.
 */
public final class WhatsAppIngress {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    static final int MAX_EVENTS = 1000;

    private final byte[] appSecret;
    private final SharedSecret verifyToken;
    private final Set<String> optOutKeywords;
    private final Set<String> optInKeywords;
    private final EventCodec codec;
    private final EventTimeWindow window;

    public WhatsAppIngress(String appSecret, String verifyToken, Set<String> optOutKeywords, Set<String> optInKeywords,
                           EventCodec codec, EventTimeWindow window) {
        this.appSecret = appSecret == null ? new byte[0] : appSecret.getBytes(StandardCharsets.UTF_8);
        // unset: every handshake is refused (the webhook is not set up)
        this.verifyToken = verifyToken == null || verifyToken.isBlank() ? null : new SharedSecret(verifyToken);
        this.optOutKeywords = upper(optOutKeywords);
        this.optInKeywords = upper(optInKeywords);
        this.codec = codec;
        this.window = window;
    }

    /** Meta's GET: answers the challenge as plain text when the mode and the verify token are right, else 403. */
    public void handshake(Exchange exchange) {
        Message message = exchange.getMessage();
        String mode = message.getHeader("hub.mode", String.class);
        String token = message.getHeader("hub.verify_token", String.class);
        String challenge = message.getHeader("hub.challenge", String.class);
        if (!"subscribe".equals(mode) || token == null || verifyToken == null || !verifyToken.matches(token)) {
            throw new WebhookRejectedException(403, "hub.mode must be subscribe and hub.verify_token the configured one", false);
        }
        if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{1,256}")) {
            throw new WebhookRejectedException(400, "hub.challenge must be 1 to 256 letters, digits, _ or -", false);
        }
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        message.setBody(challenge);
    }

    /** POST: the signature over the raw bytes, in constant time; 401 (not stored) when absent or wrong. */
    public void verify(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        exchange.setProperty(IngressExchange.RAW_REQUEST, body);
        String presented = message.getHeader(SIGNATURE_HEADER, String.class);
        if (appSecret.length == 0) {
            throw new WebhookRejectedException(401, "whatsapp.app-secret is not set: no webhook can be verified", false);
        }
        if (presented == null || !presented.startsWith("sha256=")) {
            throw new WebhookRejectedException(401, "missing " + SIGNATURE_HEADER + " (sha256=<hex>)", false);
        }
        if (!MessageDigest.isEqual(signature(appSecret, body).getBytes(StandardCharsets.US_ASCII),
                presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new WebhookRejectedException(401, SIGNATURE_HEADER + " does not match the body", false);
        }
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of the body with the app secret. */
    static String signature(byte[] secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The body becomes a list of {@link BusRecord}s for {@code marketing.messaging}; 400 (dead-lettered) if unreadable. */
    public void translate(Exchange exchange) {
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new WebhookRejectedException(415, "expected Content-Type application/json", true);
        }
        JsonNode body = UntrustedJson.parse(raw);
        if (!"whatsapp_business_account".equals(body.path("object").asText()) || !body.path("entry").isArray()) {
            throw new WebhookRejectedException(400, "expected object whatsapp_business_account with an entry array", true);
        }
        List<BusRecord> records = new ArrayList<>();
        int ignored = 0;
        for (CloudEvent event : events(body)) {
            if (event == null) {
                ignored++;
                continue;
            }
            BusRecord record;
            try {
                record = new BusRecord(event.subject(), codec.toJson(event));
            } catch (InvalidEventException e) {
                throw new WebhookRejectedException(400, e.getMessage(), true);
            }
            IngressExchange.checkSize(record);
            records.add(record);
        }
        if (records.size() > MAX_EVENTS) {
            throw new WebhookRejectedException(413, "at most " + MAX_EVENTS + " events per request", true);
        }
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(records);
        exchange.setProperty(IngressExchange.IGNORED, ignored);
        exchange.setProperty(IngressExchange.FORWARD, !records.isEmpty());
    }

    /** One event per status and per keyword message; null for what is acknowledged without an event. */
    List<CloudEvent> events(JsonNode body) {
        List<CloudEvent> events = new ArrayList<>();
        for (JsonNode entry : body.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                if (!"messages".equals(change.path("field").asText())) {
                    events.add(null);
                    continue;
                }
                String source = "/whatsapp/phone-numbers/" + require(value.path("metadata").path("phone_number_id"),
                        "metadata.phone_number_id");
                for (JsonNode status : value.path("statuses")) {
                    events.add(status(source, status));
                }
                for (JsonNode message : value.path("messages")) {
                    events.add(message(source, message));
                }
            }
        }
        return events;
    }

    private CloudEvent status(String source, JsonNode status) {
        String wamid = require(status.path("id"), "statuses[].id");
        String state = require(status.path("status"), "statuses[].status");
        if (!Set.of("sent", "delivered", "read", "failed").contains(state)) {
            return null;
        }
        String phone = phone(status.path("recipient_id"), "statuses[].recipient_id");
        String time = time(status.path("timestamp"));
        JsonNode error = status.path("errors").path(0);
        Integer code = error.path("code").isInt() ? error.path("code").asInt() : null;
        String title = error.path("title").isTextual() ? error.path("title").asText() : null;
        Messaging m = new Messaging("whatsapp", phone, wamid, state, code, title, null, time);
        return CloudEvent.of("wa-status-" + wamid + "-" + state, source, EventTypes.MESSAGE_STATUS, time,
                Messaging.key(phone), EventData.messaging(m));
    }

    private CloudEvent message(String source, JsonNode message) {
        if (!"text".equals(message.path("type").asText())) {
            return null;
        }
        String text = message.path("text").path("body").asText("").trim().toUpperCase(Locale.ROOT);
        String type = optOutKeywords.contains(text) ? EventTypes.CONTACT_MESSAGING_OPTED_OUT
                : optInKeywords.contains(text) ? EventTypes.CONTACT_MESSAGING_OPTED_IN : null;
        if (type == null) {
            return null;
        }
        String wamid = require(message.path("id"), "messages[].id");
        String phone = phone(message.path("from"), "messages[].from");
        String time = time(message.path("timestamp"));
        Messaging m = new Messaging("whatsapp", phone, wamid, null, null, null, text, time);
        return CloudEvent.of("wa-msg-" + wamid, source, type, time, Messaging.key(phone), EventData.messaging(m));
    }

    private String time(JsonNode timestamp) {
        String raw = require(timestamp, "timestamp");
        Instant at;
        try {
            at = Instant.ofEpochSecond(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            throw new WebhookRejectedException(400, "timestamp must be epoch seconds, not " + shorten(raw), true);
        }
        String late = window.refusal("timestamp", raw, at);
        if (late != null) {
            throw new WebhookRejectedException(400, late, true);
        }
        return at.toString();
    }

    private static String phone(JsonNode waId, String field) {
        String phone = WhatsAppPhones.e164("+" + require(waId, field));
        if (phone == null) {
            throw new WebhookRejectedException(400, field + " is not a phone number in international form", true);
        }
        return phone;
    }

    private static String require(JsonNode value, String field) {
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 256) {
            throw new WebhookRejectedException(400, field + " is required (text)", true);
        }
        return value.asText();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static Set<String> upper(Set<String> words) {
        Set<String> out = new java.util.HashSet<>();
        words.forEach(w -> out.add(w.trim().toUpperCase(Locale.ROOT)));
        return Set.copyOf(out);
    }
}
