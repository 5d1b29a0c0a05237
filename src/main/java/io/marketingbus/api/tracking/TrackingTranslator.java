package io.marketingbus.api.tracking;

import java.util.List;

import io.marketingbus.event.InvalidEventException;

/**
 * Segment spec → the bus's canonical events (docs/api.md, "What each call becomes"). Plain Java, no Camel types.
 */
public interface TrackingTranslator {

    /**
     * The records one message becomes: none (accepted, nothing to forward), one, or several (an identify may update
     * a contact and an analytics profile).
     *
     * @throws InvalidEventException when the message cannot become a valid event (the API dead-letters it alone and
     *                               names the reason in its answer)
     */
    List<TrackedRecord> toRecords(TrackedMessage message) throws InvalidEventException;
}
