package io.marketingbus.api.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.support.Samples;

/** Segment calls as the official libraries send them (src/test/resources/platforms/tracking/, docs/platforms/tracking.md). */
public final class TrackingSamples {

    private TrackingSamples() {
    }

    /** A mutable copy of the sample {@code tracking-<name>}. */
    public static ObjectNode json(String name) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(Samples.text("tracking-" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
