package io.marketingbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The vendors' sample payloads in {@code ../shared/platforms/samples}, read as they are. */
public final class Samples {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Samples() {
    }

    public static Path dir() {
        String configured = System.getProperty("shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "shared");
        Path samples = shared.resolve("platforms").resolve("samples");
        if (!Files.isDirectory(samples)) {
            throw new IllegalStateException("platform samples not found at " + samples.toAbsolutePath()
                    + ": check out ../shared beside the repository");
        }
        return samples;
    }

    public static String text(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String name) {
        try {
            return MAPPER.readTree(dir().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode vectors() {
        return json("signature-and-hash-test-vectors.json");
    }
}
