package io.marketingbus.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.platform.PlatformDescriptors;
import io.marketingbus.platform.Setting;

/**
 * The deployment recipe as the product sees it: the Dockerfile's instructions, every Kubernetes manifest under
 * {@code deploy/kubernetes/}, and what the product defines (settings and their environment variables, ports,
 * consumer groups). Files are read as text first so a test can change one ({@link #with}) and prove a check fails.
 */
final class DeployRecipe {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String DOCKERFILE = "Dockerfile";
    static final String MANIFESTS = "deploy/kubernetes";

    /**
     * Settings that issue 13 item 2 (singleton jobs, {@code bus.cluster.service = kubernetes}) adds in a parallel
     * branch; the manifests set them already. Once that branch is merged they are real settings and this set can go.
     */

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PROPERTY_LINE = Pattern.compile("^#?([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)=", Pattern.MULTILINE);
    private static final Pattern KEY_LITERAL = Pattern.compile("\"((?:bus|camel)\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)");

    final Map<String, String> texts;

    private DeployRecipe(Map<String, String> texts) {
        this.texts = texts;
    }

    /** The recipe as committed: the Dockerfile and every YAML file under deploy/kubernetes. */
    static DeployRecipe load() {
        Map<String, String> texts = new TreeMap<>();
        texts.put(DOCKERFILE, read(ROOT.resolve(DOCKERFILE)));
        try (Stream<Path> files = Files.list(ROOT.resolve(MANIFESTS))) {
            files.filter(f -> f.toString().endsWith(".yaml"))
                    .forEach(f -> texts.put(MANIFESTS + "/" + f.getFileName(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DeployRecipe(texts);
    }

    /** The same recipe with one file's text changed, e.g. to prove a check catches a wrong value. */
    DeployRecipe with(String file, UnaryOperator<String> change) {
        Map<String, String> changed = new TreeMap<>(texts);
        String before = changed.get(file);
        String after = change.apply(before);
        if (after.equals(before)) {
            throw new IllegalArgumentException("the change does not apply to " + file);
        }
        changed.put(file, after);
        return new DeployRecipe(changed);
    }

    // ---------------------------------------------------------------------------------------------------- Dockerfile

    /** One Dockerfile instruction: its keyword in upper case and its arguments, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    List<Instruction> dockerfile() {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : texts.get(DOCKERFILE).split("\n")) {
            String trimmed = line.strip();
            if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(java.util.Locale.ROOT),
                    text.substring(space + 1).strip()));
            current.setLength(0);
        }
        return instructions;
    }

    List<String> dockerfile(String keyword) {
        return dockerfile().stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The Dockerfile's ENV, every {@code KEY=value} of every ENV instruction. */
    Map<String, String> dockerfileEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : dockerfile("ENV")) {
            for (String pair : arguments.split("\\s+")) {
                int eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1).replace("\"", ""));
            }
        }
        return env;
    }

    // ----------------------------------------------------------------------------------------------------- manifests

    /** Every document of every manifest. */
    List<JsonNode> manifests() {
        List<JsonNode> documents = new ArrayList<>();
        texts.forEach((file, text) -> {
            if (!file.startsWith(MANIFESTS + "/")) {
                return;
            }
            try (var parser = YAML.getFactory().createParser(text)) {
                Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
                docs.forEachRemaining(d -> {
                    if (d != null && !d.isNull() && !d.isMissingNode()) {
                        documents.add(d);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        });
        return documents;
    }

    List<JsonNode> manifests(String kind) {
        return manifests().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    /** The one manifest of a kind. */
    JsonNode manifest(String kind) {
        List<JsonNode> found = manifests(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in " + MANIFESTS + ", found " + found.size());
        }
        return found.get(0);
    }

    JsonNode container() {
        return manifest("Deployment").path("spec").path("template").path("spec").path("containers").path(0);
    }

    Map<String, String> configMap() {
        return strings(manifest("ConfigMap").path("data"));
    }

    /** The Secret template ({@code secret.template.yaml}): keys and placeholder values. */
    Map<String, String> secret() {
        return strings(manifest("Secret").path("stringData"));
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** A container port number, by number or by the name the container gives it. */
    int port(JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container().path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + port.asText());
    }

    // ------------------------------------------------------------------------------------------------- the product

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static int defaultPort(String key) {
        return Integer.parseInt(applicationProperties().getProperty(key).strip());
    }

    /**
     * Every setting the bus has, by environment variable (upper snake case, {@link MissingSettingException#envName}):
     * the keys of application.properties (commented-out ones too: settings without a default), every platform
     * descriptor's settings, Camel's own main options ({@code camel.main/server/management/...}), and the
     * {@code bus.*}/{@code camel.*} keys the bus's code and route files read.
     */
    static Map<String, String> settingsByVariable() {
        Set<String> keys = new LinkedHashSet<>();
        Matcher lines = PROPERTY_LINE.matcher(read(ROOT.resolve("application.properties")));
        while (lines.find()) {
            keys.add(lines.group(1));
        }
        PlatformDescriptors.settings().forEach(s -> keys.add(s.key()));
        keys.addAll(camelMainOptions());
        try (Stream<Path> sources = Files.walk(ROOT.resolve("src/main"))) {
            sources.filter(Files::isRegularFile).forEach(f -> {
                String text = read(f);
                Matcher m = (f.toString().endsWith(".java") ? KEY_LITERAL : PLACEHOLDER).matcher(text);
                while (m.find()) {
                    keys.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> byVariable = new TreeMap<>();
        keys.forEach(k -> byVariable.putIfAbsent(MissingSettingException.envName(k), k));
        return byVariable;
    }

    private static Set<String> camelMainOptions() {
        try (InputStream in = org.apache.camel.main.Main.class.getClassLoader()
                .getResourceAsStream("META-INF/camel-main-configuration-metadata.json")) {
            Set<String> options = new LinkedHashSet<>();
            for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                // camel.main.routesIncludePattern -> camel.main.routes-include-pattern
                options.add(property.path("name").asText().replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                        .toLowerCase(java.util.Locale.ROOT));
            }
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every secret setting: the bus's admin token and each descriptor's {@link Setting#secret()} settings. */
    static Set<String> secretSettings() {
        Set<String> secrets = new LinkedHashSet<>(List.of("bus.admin-token"));
        PlatformDescriptors.settings().stream().filter(Setting::secret).map(Setting::key).forEach(secrets::add);
        return secrets;
    }

    /**
     * The delivery consumer groups, as the bus derives them: the groupId of the {@code kafka-delivery} template
     * filled in with each of its instances' topic and destination in the flow files.
     */
    static Map<String, String> deliveryGroupsToTopics() {
        String groupId = find(yaml(ROOT.resolve("src/main/resources/routes/connectors/kafka-delivery.camel.yaml")),
                "groupId").orElseThrow(() -> new AssertionError("kafka-delivery has no groupId"));
        Map<String, String> groups = new TreeMap<>();
        try (Stream<Path> flows = Files.list(ROOT.resolve("src/main/resources/routes/flows"))) {
            flows.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().forEach(flow -> {
                for (JsonNode item : yaml(flow)) {
                    JsonNode route = item.path("templatedRoute");
                    if (!"kafka-delivery".equals(route.path("routeTemplateRef").asText())) {
                        continue;
                    }
                    String group = groupId;
                    String topic = null;
                    for (JsonNode parameter : route.path("parameters")) {
                        String name = parameter.path("name").asText();
                        String value = parameter.path("value").asText();
                        group = group.replace("{{" + name + "}}", value);
                        if (name.equals("topic")) {
                            topic = value;
                        }
                    }
                    groups.put(group, topic);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    private static Optional<String> find(JsonNode node, String field) {
        if (node.has(field)) {
            return Optional.of(node.get(field).asText());
        }
        for (JsonNode child : node) {
            Optional<String> found = find(child, field);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
