package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The canonical event: CloudEvents 1.0 in structured JSON mode. Every flow translates into this on the way in and
 * out of it on the way to a platform.
 *
 * @param id      deterministic from the source event, so a re-sent webhook yields the same id
 * @param subject the contact key (SHA-256 of the normalised e-mail), never the e-mail itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String time,
        String subject,
        String datacontenttype,
        EventData data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** A contact's event: the subject is the contact key. */
    public static CloudEvent of(String id, String source, String type, String time, EventData data) {
        return of(id, source, type, time, ContactKey.of(data.contact().email()), data);
    }

    public static CloudEvent of(String id, String source, String type, String time, String subject, EventData data) {
        return new CloudEvent(SPEC_VERSION, id, source, type, time, subject, DATA_CONTENT_TYPE, data);
    }
}
