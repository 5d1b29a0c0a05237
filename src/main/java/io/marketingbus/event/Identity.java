package io.marketingbus.event;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who a tracked person is, across the ids a site gives them: an {@code identify} without an e-mail (the traits a
 * profile keeps, never e-mail or phone) or an {@code alias} that links an earlier id to a user id.
 *
 * @param userId      the site's id for the person (Segment {@code userId})
 * @param anonymousId the browser's or device's id before sign-in (Segment {@code anonymousId}), else null
 * @param previousId  for an alias: the id the person had before ({@code previousId}), else null
 * @param traits      profile traits, without e-mail and phone; null or empty when none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Identity(String userId, String anonymousId, String previousId, Map<String, Object> traits) {

    /** The subject of an identity event: SHA-256 hex of the user id (or the anonymous id when there is none). */
    public String key() {
        return Identifiers.sha256Hex(userId != null ? userId : anonymousId);
    }
}
