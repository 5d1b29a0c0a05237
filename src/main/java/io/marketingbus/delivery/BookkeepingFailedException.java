package io.marketingbus.delivery;

/**
 * Accounting for an event failed after its delivery was decided (a metric, its delivery record, its delivered id):
 * the event is dead-lettered with this reason instead of holding up the rest of its batch.
 */
public class BookkeepingFailedException extends RuntimeException {

    public BookkeepingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
