package io.marketingbus.event;

/**
 * The Kafka record key and CloudEvents subject of a contact's events: SHA-256 of the normalised e-mail, so one
 * contact's events stay in one partition, in order, without putting the address in keys or logs.
 */
public final class ContactKey {

    private ContactKey() {
    }

    public static String of(String email) {
        return Identifiers.sha256Hex(Identifiers.normaliseEmail(email));
    }
}
