package io.marketingbus.event;

/** An event that does not satisfy the canonical model; never worth retrying. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
