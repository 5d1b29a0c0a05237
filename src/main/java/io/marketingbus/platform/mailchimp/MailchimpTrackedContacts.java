package io.marketingbus.platform.mailchimp;

import java.util.Locale;

import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;

/**
 * The tracking API's contacts (a Segment {@code identify} with an e-mail, {@code marketing.contact.profile-updated}
 * from {@code /tracking/<source>}) as Mailchimp audience members (docs/api-destinations.md, docs/platforms/mailchimp.md
 * §3): {@code PUT /lists/{list}/members/{md5(lower(email))}} with the names and phone as merge fields and
 * {@code status_if_new} only, never {@code status}: an existing member's consent is left as it is, and a new one
 * is created {@code transactional} (no marketing e-mail without consent) or {@code pending} (Mailchimp sends its
 * double opt-in confirmation), never {@code subscribed}, which a tracked identify does not prove.
 */
public final class MailchimpTrackedContacts {

    private final String listId;
    private final String statusIfNew;
    private final MailchimpEchoes echoes;

    /**
     * @param statusIfNew {@code transactional} or {@code pending}
     * @throws IllegalArgumentException for any other status: the bus never invents a consent
     */
    public MailchimpTrackedContacts(String listId, String statusIfNew, MailchimpEchoes echoes) {
        String status = statusIfNew.trim().toLowerCase(Locale.ROOT);
        if (!status.equals("transactional") && !status.equals("pending")) {
            throw new IllegalArgumentException("mailchimp.tracked-contacts.status-if-new must be transactional or pending, not "
                    + statusIfNew + ": a tracked identify is no proof of consent to marketing e-mail");
        }
        this.listId = listId;
        this.statusIfNew = status;
        this.echoes = echoes;
    }

    /** {@code PUT /lists/{list}/members/{hash}}: creates the member or updates its merge fields. */
    public PlatformRequest memberUpsert(CloudEvent contactEvent) {
        Contact contact = contactEvent.data() == null ? null : contactEvent.data().contact();
        if (contact == null || contact.email() == null || !Identifiers.isEmail(Identifiers.normaliseEmail(contact.email()))) {
            throw new InvalidEventException("a tracked contact without a valid e-mail: no Mailchimp member");
        }
        return MailchimpMembers.upsert(listId, contact, statusIfNew, true, echoes);
    }
}
