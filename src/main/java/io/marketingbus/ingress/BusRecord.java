package io.marketingbus.ingress;

/** One record to put on a bus topic: the Kafka key and the canonical event's JSON. */
public record BusRecord(String key, byte[] value) {
}
