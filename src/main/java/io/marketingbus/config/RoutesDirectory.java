package io.marketingbus.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code bus.routes-dir}: route files outside the jar. A file there named like a shipped one replaces it (so an
 * engineer copies {@code subscription.camel.yaml}, edits it, and the copy runs instead); any other file is added.
 */
final class RoutesDirectory {

    private RoutesDirectory() {
    }

    static String include(String shippedPattern, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("bus.routes-dir " + dir.toAbsolutePath() + " is not a directory");
        }
        List<Path> own;
        try (Stream<Path> list = Files.list(dir)) {
            own = list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> names = own.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        List<String> entries = new ArrayList<>();
        for (String entry : shippedPattern.split(",")) {
            String trimmed = entry.trim();
            String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
            if (!trimmed.isEmpty() && !names.contains(name)) {
                entries.add(trimmed);
            }
        }
        own.forEach(p -> entries.add("file:" + p.toAbsolutePath()));
        return String.join(",", entries);
    }

}
