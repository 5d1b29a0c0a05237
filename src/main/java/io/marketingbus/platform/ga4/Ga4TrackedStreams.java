package io.marketingbus.platform.ga4;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The GA4 web streams that hits of the tracking API ({@code /tracking/<source>}) go to: they carry no measurement id
 * of their own, as the relay's hits do. One stream for every source ({@code tracking.ga4.measurement-id} and
 * {@code tracking.ga4.api-secret}) and, per source, another ({@code tracking.ga4.streams}:
 * {@code <source>=<measurement id>:<api secret>,...}).
 */
public final class Ga4TrackedStreams {

    /** A GA4 data stream's Measurement Protocol credentials. */
    public record Stream(String measurementId, String apiSecret) {
    }

    private final Stream fallback;
    private final Map<String, Stream> bySource;

    public Ga4TrackedStreams(Stream fallback, Map<String, Stream> bySource) {
        this.fallback = fallback;
        this.bySource = Map.copyOf(bySource);
    }

    /**
     * @param measurementId the stream for every source, or blank for none
     * @param apiSecret     its API secret
     * @param perSource     {@code <source>=<measurement id>:<api secret>,...}, or blank
     * @throws IllegalArgumentException naming the setting when an entry is malformed
     */
    public static Ga4TrackedStreams of(String measurementId, String apiSecret, String perSource) {
        Stream fallback = null;
        if (measurementId != null && !measurementId.isBlank()) {
            if (apiSecret == null || apiSecret.isBlank()) {
                throw new IllegalArgumentException("tracking.ga4.measurement-id is set without tracking.ga4.api-secret");
            }
            fallback = new Stream(measurementId.trim(), apiSecret.trim());
        }
        Map<String, Stream> bySource = new LinkedHashMap<>();
        if (perSource != null) {
            for (String entry : perSource.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                int colon = entry.indexOf(':', eq + 1);
                if (eq <= 0 || colon <= eq + 1 || colon == entry.length() - 1) {
                    // the entry holds a secret: it is never repeated in the message
                    throw new IllegalArgumentException("tracking.ga4.streams: an entry is not <source>=<measurement id>:<api secret>");
                }
                bySource.put(entry.substring(0, eq).trim(),
                        new Stream(entry.substring(eq + 1, colon).trim(), entry.substring(colon + 1).trim()));
            }
        }
        return new Ga4TrackedStreams(fallback, bySource);
    }

    /** The stream of a tracking source (its own, else the common one), if any. */
    public Optional<Stream> forSource(String sourceName) {
        Stream own = bySource.get(sourceName);
        return Optional.ofNullable(own != null ? own : fallback);
    }

    /** Every tracking stream's API secret by its measurement id, for the collect connector. */
    public Map<String, String> secretsByMeasurementId() {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (fallback != null) {
            secrets.put(fallback.measurementId(), fallback.apiSecret());
        }
        bySource.values().forEach(s -> secrets.put(s.measurementId(), s.apiSecret()));
        return secrets;
    }
}
