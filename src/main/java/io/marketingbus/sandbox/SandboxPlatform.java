package io.marketingbus.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** An in-process emulation of the API paths the bus calls on one platform, with readable state. */
public interface SandboxPlatform {

    /** The platform's name, as in {@code /sandbox/<name>/...} and {@code <name>.base-url}. */
    String name();

    /** Answers a call the bus makes to the platform's API. */
    SandboxResponse handle(SandboxRequest request);

    /** Answers {@code GET /sandbox/<name>/<collection>}: what the platform now holds, for people and tests. */
    JsonNode state(String collection);

    /** Forgets everything. */
    void reset();
}
