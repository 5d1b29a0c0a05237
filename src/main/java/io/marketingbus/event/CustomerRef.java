package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who a source says made a purchase, before the CRM is asked: a clear e-mail or phone when the site sent one, or
 * only its own user id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerRef(String email, String phone, String userId, String clientId) {
}
