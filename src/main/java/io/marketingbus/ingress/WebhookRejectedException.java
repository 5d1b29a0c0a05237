package io.marketingbus.ingress;

/**
 * A webhook the bus will not accept, with the HTTP status to answer and whether the raw request is worth keeping
 * in the ingress dead-letter topic (malformed input is; a wrong secret is not).
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final boolean deadLetter;

    public WebhookRejectedException(int status, String reason, boolean deadLetter) {
        // reasons quote what the sender sent (a field name, a value): never a megabyte of it
        super(reason != null && reason.length() > 500 ? reason.substring(0, 500) + "..." : reason);
        this.status = status;
        this.deadLetter = deadLetter;
    }

    public int status() {
        return status;
    }

    public boolean deadLetter() {
        return deadLetter;
    }
}
