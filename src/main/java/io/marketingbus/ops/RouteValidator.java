package io.marketingbus.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * {@code java -jar marketing-bus.jar validate-routes <dir>}: loads every {@code *.camel.yaml} under a directory with
 * Camel's YAML DSL, as the bus would, without starting anything, and reports each problem with its file and line
 * (unknown keys, wrong nesting, unparsable YAML, a route id used twice).
 */
public final class RouteValidator {

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    /** One problem: the file, the line when the YAML parser knows it (0 when not), and what is wrong. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    private RouteValidator() {
    }

    public static List<Problem> validate(Path dir) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        // templates first: a templatedRoute needs its routeTemplate loaded, as the bus loads them together
        List<Path> ordered = new ArrayList<>(files);
        ordered.sort(java.util.Comparator.comparing(p -> !definesTemplate(p)));
        Map<String, Path> routeIds = new HashMap<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (Path file : ordered) {
                int before = ((ModelCamelContext) context).getRouteDefinitions().size();
                try {
                    Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
                    PluginHelper.getRoutesLoader(context).loadRoutes(resource);
                } catch (Exception e) {
                    problems.add(new Problem(file, line(e), describe(e)));
                    continue;
                }
                List<RouteDefinition> routes = ((ModelCamelContext) context).getRouteDefinitions();
                for (RouteDefinition route : routes.subList(before, routes.size())) {
                    Path other = route.getRouteId() == null ? null : routeIds.putIfAbsent(route.getRouteId(), file);
                    if (other != null) {
                        problems.add(new Problem(file, 0, "route id '" + route.getRouteId() + "' is also used in " + other));
                    }
                }
            }
        }
        if (files.isEmpty()) {
            problems.add(new Problem(dir, 0, "no *.camel.yaml files here"));
        }
        return problems;
    }

    private static boolean definesTemplate(Path file) {
        try {
            return Files.readString(file).contains("routeTemplate:");
        } catch (IOException e) {
            return false;
        }
    }

    /** Exit code 0 when every file loads, 1 otherwise; problems go to standard error. */
    public static int run(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -jar marketing-bus.jar validate-routes <directory>");
            return 2;
        }
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.camel", org.apache.logging.log4j.Level.WARN);
        Path dir = Path.of(args[1]);
        List<Problem> problems = validate(dir);
        problems.forEach(System.err::println);
        System.out.println(problems.isEmpty() ? "routes in " + dir + ": OK" : problems.size() + " problem(s) in " + dir);
        return problems.isEmpty() ? 0 : 1;
    }

    private static int line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = LINE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).replaceAll("\\s+", " ").trim();
            if (!sb.toString().contains(message)) {
                sb.append(sb.isEmpty() ? "" : " / ").append(message);
            }
        }
        return sb.toString();
    }
}
