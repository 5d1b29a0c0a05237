package io.marketingbus.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** What an emulated platform answers. */
public record SandboxResponse(int status, Map<String, String> headers, byte[] body) {

    public static SandboxResponse json(int status, JsonNode body) {
        return new SandboxResponse(status, Map.of("Content-Type", "application/json;charset=utf-8"),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, Map.of(), new byte[0]);
    }
}
