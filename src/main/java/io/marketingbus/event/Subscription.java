package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an e-mail platform said about an audience member.
 *
 * @param status        subscribed, unsubscribed, archived or cleaned; null when the source did not say (profile)
 * @param reason        the platform's reason for an unsubscribe or a cleaned address
 * @param previousEmail for an e-mail change, the address the contact had before
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(String platform, String listId, String memberId, String status, String reason,
                           String previousEmail) {
}
