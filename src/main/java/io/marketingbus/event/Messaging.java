package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A direct-message fact about one person on one channel: a message's delivery status, or an opt-in or opt-out.
 *
 * @param channel    the channel, {@code whatsapp}
 * @param phone      the person's phone in E.164 ({@code +34600112233}); the event's subject is its {@link #key}
 * @param messageId  the platform's message id (WhatsApp {@code wamid.…}), for a status or the inbound message
 * @param status     sent, delivered, read or failed (statuses); null for an opt-in or opt-out
 * @param errorCode  the platform's error code of a failed message (WhatsApp 131026 …), else null
 * @param errorTitle the platform's error title, else null
 * @param keyword    the inbound text that opted the person in or out ({@code STOP}), else null
 * @param timestamp  when the platform says it happened, ISO-8601
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Messaging(String channel, String phone, String messageId, String status, Integer errorCode,
                        String errorTitle, String keyword, String timestamp) {

    /** The subject of a messaging event: SHA-256 hex of the E.164 phone, as a contact key is of the e-mail. */
    public static String key(String e164Phone) {
        return Identifiers.sha256Hex(e164Phone);
    }
}
