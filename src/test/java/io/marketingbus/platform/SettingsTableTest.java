package io.marketingbus.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The platform settings in the README are generated from the platform descriptors, so the table cannot drift from
 * the code: this test fails when they differ, printing the table to paste, and rewrites the README itself when run
 * with {@code -Dbus.update-readme=true}. The descriptors and {@code application.properties} are checked against each
 * other too: every platform setting the file holds is declared, and every declared setting is in the file.
 */
class SettingsTableTest {

    static final Path README = Path.of("README.md");
    static final Path PROPERTIES = Path.of("application.properties");
    static final String BEGIN = "<!-- platform-settings: generated from the platform descriptors by SettingsTableTest -->";
    static final String END = "<!-- /platform-settings -->";

    @Test
    void theReadmesPlatformSettingsAreTheDescriptors() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README marker " + BEGIN).isNotNegative();
        assertThat(end).as("README marker " + END).isGreaterThan(begin);
        String generated = "\n" + table() + "\n";
        String current = readme.substring(begin + BEGIN.length(), end);
        if (!current.equals(generated) && Boolean.getBoolean("bus.update-readme")) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + generated + readme.substring(end),
                    StandardCharsets.UTF_8);
            current = generated;
        }
        assertThat(current).as("the README's platform settings; run mvn test -Dtest=SettingsTableTest "
                + "-Dbus.update-readme=true to regenerate them from the descriptors").isEqualTo(generated);
    }

    @Test
    void everyPlatformSettingInTheSettingsFileIsDeclaredAndTheReverse() throws IOException {
        Set<String> declared = new LinkedHashSet<>();
        PlatformDescriptors.settings().forEach(s -> declared.add(s.key()));
        Set<String> inFile = new LinkedHashSet<>();
        Matcher key = Pattern.compile("(?m)^#?([a-z0-9-]+(?:\\.[a-z0-9-]+)+)=").matcher(
                Files.readString(PROPERTIES, StandardCharsets.UTF_8));
        while (key.find()) {
            inFile.add(key.group(1));
        }
        List<String> undeclared = new ArrayList<>();
        for (String k : inFile) {
            if (ownedByAPlatform(k) && !declared.contains(k)) {
                undeclared.add(k);
            }
        }
        assertThat(undeclared).as("settings of a platform in application.properties that its descriptor does not declare")
                .isEmpty();
        assertThat(declared).as("declared settings missing from application.properties (give each a line, "
                + "commented out when it has no default)").allMatch(inFile::contains);
    }

    @Test
    void everyPlatformHasAConnectorFileAFactPageAndSamples() {
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            assertThat(PlatformDescriptors.class.getResource(platform.routeFile().replace("classpath:", "/")))
                    .as(platform.routeFile()).isNotNull();
            assertThat(Path.of("docs/platforms", platform.name() + ".md")).exists();
            assertThat(Path.of("src/test/resources/platforms", platform.name())).isDirectoryContaining("glob:**");
            assertThat(platform.settings()).extracting(Setting::description).allMatch(d -> !d.isBlank());
        }
    }

    /**
     * A setting named after a platform belongs to its descriptor, except a delivery's on/off switch
     * ({@code <platform>.<flow>.enabled}, a parameter of a flow file) and the loyalty router's own settings.
     */
    static boolean ownedByAPlatform(String key) {
        if (key.endsWith(".enabled")) {
            return false;
        }
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            if (key.startsWith(platform.name() + ".") || key.startsWith("loyalty." + platform.name() + ".")) {
                return true;
            }
        }
        return false;
    }

    /** One table per platform, in the descriptors' order. */
    static String table() {
        StringBuilder sb = new StringBuilder();
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            // a destination's file is its connector; a source without one (a store) names its ingress file instead
            String routes = platform.routeFile().substring("classpath:".length());
            String kind = routes.startsWith("routes/platforms/") ? "connector" : "routes";
            sb.append("\n**").append(platform.name()).append("** ([facts](docs/platforms/").append(platform.name())
                    .append(".md), ").append(kind).append(" [`").append(routes).append("`](src/main/resources/")
                    .append(routes).append("))\n\n");
            sb.append("| Setting | Default | What it does |\n|---|---|---|\n");
            for (Setting setting : platform.settings()) {
                sb.append("| `").append(setting.key()).append("` | ").append(setting.shown()).append(" | ")
                        .append(setting.description()).append(setting.secret() ? " (secret)" : "").append(" |\n");
            }
        }
        return sb.toString().strip();
    }
}
