package io.marketingbus.platform.mailchimp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Identifiers;

/**
 * {@code PUT /lists/{list}/members/{md5(lower(email))}} with {@code status_if_new} only: creates the member or updates
 * its merge fields, never changes an existing member's status (docs/platforms/mailchimp.md §1.2). Shared by the
 * loyalty journey and the tracking API's contacts.
 */
final class MailchimpMembers {

    private MailchimpMembers() {
    }

    static String path(String listId, String email) {
        return "/lists/" + listId + "/members/" + Identifiers.md5Hex(Identifiers.normaliseEmail(email));
    }

    /**
     * @param withPhone also the PHONE merge field (an audience has it only when its owner added it)
     * @param echoes    told to expect Mailchimp's webhook for this change: the bus's own echo, not news for the CRM
     */
    static PlatformRequest upsert(String listId, Contact contact, String statusIfNew, boolean withPhone,
                                  MailchimpEchoes echoes) {
        String email = Identifiers.normaliseEmail(contact.email());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("email_address", email);
        body.put("status_if_new", statusIfNew);
        ObjectNode merge = body.objectNode();
        if (contact.firstName() != null) {
            merge.put("FNAME", contact.firstName());
        }
        if (contact.lastName() != null) {
            merge.put("LNAME", contact.lastName());
        }
        if (withPhone && contact.phone() != null) {
            merge.put("PHONE", contact.phone());
        }
        if (!merge.isEmpty()) {
            body.set("merge_fields", merge);
        }
        echoes.expect(email);
        return new PlatformRequest("PUT", path(listId, email), null, body);
    }
}
