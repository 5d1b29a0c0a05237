package io.marketingbus.api.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Segment calls as the official libraries send them (src/test/resources/tracking/, provenance in docs/api.md). */
public final class TrackingSamples {

    private TrackingSamples() {
    }

    public static String text(String name) {
        try (InputStream in = TrackingSamples.class.getResourceAsStream("/tracking/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no tracking sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode json(String name) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
