package io.marketingbus.delivery;

import java.util.List;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.BusRecord;

/** Canonical events made inside a route (by an enricher) into schema-checked records for the bus. */
public final class EventRecords {

    private final EventCodec codec;

    public EventRecords(EventCodec codec) {
        this.codec = codec;
    }

    public BusRecord one(CloudEvent event) {
        return new BusRecord(event.subject(), codec.toJson(event));
    }

    public List<BusRecord> of(List<CloudEvent> events) {
        return events.stream().map(e -> new BusRecord(e.subject(), codec.toJson(e))).toList();
    }
}
