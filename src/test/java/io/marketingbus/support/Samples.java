package io.marketingbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The vendors' sample payloads, read as they are (exact wire bytes: signatures cover them). They live in the
 * repository under {@code src/test/resources/platforms/<platform>/}, named {@code <platform>-<what>.<ext>}; where each
 * shape comes from is listed in {@code docs/platforms/<platform>.md}, "Samples".
 */
public final class Samples {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Samples() {
    }

    /** The folder holding one folder per platform. */
    public static Path dir() {
        URL root = Samples.class.getResource("/platforms");
        if (root == null) {
            throw new IllegalStateException("platform samples not on the test classpath (src/test/resources/platforms)");
        }
        try {
            return Path.of(root.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sample by its file name, whichever platform folder holds it. */
    public static Path path(String name) {
        List<Path> found;
        try (Stream<Path> platforms = Files.list(dir())) {
            found = platforms.map(p -> p.resolve(name)).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.isEmpty() ? "no platform sample named " + name
                    : "sample " + name + " is in several platform folders: " + found);
        }
        return found.get(0);
    }

    public static String text(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String name) {
        try {
            return MAPPER.readTree(path(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Identity hashes and signatures computed over the samples' exact bytes. */
    public static JsonNode vectors() {
        return json("signature-and-hash-test-vectors.json");
    }
}
