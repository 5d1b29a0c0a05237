package io.marketingbus.platform.mailchimp;

/** A webhook that cannot become a canonical event; the message says which field and why. */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String message) {
        super(message);
    }
}
