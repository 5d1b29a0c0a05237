package io.marketingbus.api.tracking;

import java.util.Set;

/**
 * Which web pages may call the tracking API from a browser ({@code tracking.cors.allowed-origins}: origins,
 * comma-separated, or {@code *}). An allowed origin is echoed in {@code Access-Control-Allow-Origin} (with
 * {@code Vary: Origin}); any other gets no CORS header, so the browser keeps the answer from the page.
 */
public final class TrackingCors {

    static final String MAX_AGE_SECONDS = "86400";

    private final Set<String> origins;
    private final boolean any;

    public TrackingCors(Set<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    public boolean allowed(String origin) {
        return origin != null && !origin.isBlank() && (any || origins.contains(origin));
    }
}
