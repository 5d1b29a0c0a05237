package io.marketingbus.platform.ga4;

/** A Measurement Protocol hit GA4's validation would refuse; the message is the validation message. */
public class InvalidHitException extends RuntimeException {

    public InvalidHitException(String message) {
        super(message);
    }
}
