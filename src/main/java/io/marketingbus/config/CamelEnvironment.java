package io.marketingbus.config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Camel's own {@code camel.*} settings given as environment variables ({@code CAMEL_COMPONENT_KAFKA_BROKERS}) or
 * {@code -D} system properties. Camel Main reads only some groups from the environment, and not component options,
 * so the bus turns every such variable back into its key and sets it as an override, whether or not the
 * properties files mention the key:
 * <ul>
 *   <li>a key the properties files hold (commented-out keys do not count) is found by its variable name, dashes
 *       and all ({@code CAMEL_MAIN_ROUTES_INCLUDE_PATTERN} → {@code camel.main.routes-include-pattern});</li>
 *   <li>otherwise, as Camel names them: {@code camel.component.<name>.<option>} (and {@code dataformat},
 *       {@code language}), the name being the longest one Camel can load a factory for
 *       ({@code META-INF/services/org/apache/camel/component/platform-http}), and the option the rest in dashed
 *       case, which Camel's property binding accepts ({@code CAMEL_COMPONENT_KAFKA_REQUEST_REQUIRED_ACKS} →
 *       {@code camel.component.kafka.request-required-acks}); {@code camel.<group>.<option>} for the groups with
 *       flat options ({@code CAMEL_MANAGEMENT_HOST} → {@code camel.management.host}).</li>
 * </ul>
 * Other {@code CAMEL_*} variables ({@code CAMEL_HOME}, nested or indexed options) are left alone. The environment
 * wins over {@code -D}, which wins over the files.
 */
final class CamelEnvironment {

    private static final Set<String> NAMED_GROUPS = Set.of("component", "dataformat", "language");
    private static final Set<String> FLAT_GROUPS = Set.of("main", "server", "management", "health", "metrics",
            "context", "rest", "threadpool", "ssl", "trace", "debug");

    private CamelEnvironment() {
    }

    /**
     * @param fileKeys the keys the properties files hold
     * @param factoryExists whether Camel has a factory for {@code <group>/<name>} (a component, data format or language)
     * @return the settings to override, by key
     */
    static Map<String, String> overrides(Set<String> fileKeys, Map<String, String> environment, Properties system,
                                         Predicate<String> factoryExists) {
        Map<String, String> byVariable = new HashMap<>();
        fileKeys.stream().filter(k -> k.startsWith("camel.")).forEach(k -> byVariable.put(MissingSettingException.envName(k), k));
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("camel.")) {
                overrides.put(name, system.getProperty(name));
            }
        }
        environment.forEach((variable, value) -> {
            if (!variable.startsWith("CAMEL_")) {
                return;
            }
            String key = byVariable.containsKey(variable) ? byVariable.get(variable) : key(variable, factoryExists);
            if (key != null) {
                // the same setting given by -D in another spelling gives way
                overrides.keySet().removeIf(k -> normal(k).equals(normal(key)));
                overrides.put(key, value);
            }
        });
        return overrides;
    }

    /** The key of a {@code CAMEL_*} variable by Camel's naming, or null when it names no setting the bus can map. */
    static String key(String variable, Predicate<String> factoryExists) {
        List<String> parts = Arrays.asList(variable.toLowerCase(Locale.ROOT).split("_"));
        if (parts.size() < 3 || parts.stream().anyMatch(String::isEmpty)) {
            return null;
        }
        String group = parts.get(1);
        if (FLAT_GROUPS.contains(group)) {
            return "camel." + group + "." + String.join("-", parts.subList(2, parts.size()));
        }
        if (!NAMED_GROUPS.contains(group) || parts.size() < 4) {
            return null;
        }
        int end = 3;
        for (int i = parts.size() - 1; i > 3; i--) {
            if (factoryExists.test(group + "/" + String.join("-", parts.subList(2, i)))) {
                end = i;
                break;
            }
        }
        return "camel." + group + "." + String.join("-", parts.subList(2, end)) + "."
                + String.join("-", parts.subList(end, parts.size()));
    }

    /** Whether Camel can load a component, data format or language of this name from the classpath. */
    static boolean factoryOnClasspath(String groupAndName) {
        return CamelEnvironment.class.getClassLoader()
                .getResource("META-INF/services/org/apache/camel/" + groupAndName) != null;
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
