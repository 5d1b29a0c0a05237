package io.marketingbus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.marketingbus.config.MissingSettingException;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile (no Docker here, so it cannot be built in the suite): two stages on Temurin 17, a non-root user,
 * {@code java -jar /app/marketing-bus.jar}, the ports and the health path the bus really has, and only settings the
 * bus reads. Each check is also run on a wrong Dockerfile, to prove it fails.
 */
class DockerfileTest {

    static final String READY = "/observe/health/ready";
    static final Pattern URL = Pattern.compile("https?://[^/\\s:]+:(\\d+)(/[^\\s'\"]*)");

    final DeployRecipe recipe = DeployRecipe.load();

    @Test
    void theImageIsBuiltWithMavenOnTemurin17AndRunsTheJarOnTheTemurin17JreAsANonRootUser() {
        assertThat(imageProblems(recipe)).isEmpty();
    }

    @Test
    void itExposesTheWebhookAndManagementPortsAndChecksReadinessOnTheManagementPort() {
        assertThat(portProblems(recipe)).isEmpty();
    }

    @Test
    void everyVariableItSetsIsASettingAndTheManagementPortListensBeyondLoopback() {
        assertThat(settingProblems(recipe)).isEmpty();
    }

    @Test
    void eachCheckFailsOnAWrongDockerfile() {
        String f = DeployRecipe.DOCKERFILE;
        caught(imageProblems(recipe.with(f, t -> t.replace("USER 10001:10001", "USER root"))), "runs as root");
        caught(imageProblems(recipe.with(f, t -> t.replace("FROM eclipse-temurin:17-jre", "FROM eclipse-temurin:21-jre"))),
                "not a Temurin 17 JRE");
        caught(imageProblems(recipe.with(f, t -> t.replace("FROM maven:3.9-eclipse-temurin-17 AS build",
                "FROM maven:3.9-eclipse-temurin-21 AS build"))), "not Maven on a Temurin 17 JDK");
        caught(imageProblems(recipe.with(f, t -> t.replace("\"/app/marketing-bus.jar\"]", "\"/app/bus.jar\"]"))),
                "does not run java -jar /app/marketing-bus.jar");
        caught(imageProblems(recipe.with(f, t -> t.replace("/src/target/marketing-bus.jar", "/src/target/bus.jar"))),
                "does not copy target/marketing-bus.jar");
        caught(imageProblems(recipe.with(f, t -> t.replace("-Pkubernetes package", "package"))),
                "not built with -Pkubernetes");
        caught(portProblems(recipe.with(f, t -> t.replace("EXPOSE 8080 9876", "EXPOSE 8080 9000"))),
                "EXPOSE [8080, 9000]");
        caught(portProblems(recipe.with(f, t -> t.replace("127.0.0.1:9876/observe/health/ready",
                "127.0.0.1:8080/observe/health/ready"))), "HEALTHCHECK port 8080");
        caught(portProblems(recipe.with(f, t -> t.replace("9876/observe/health/ready", "9876/health/ready"))),
                "HEALTHCHECK path /health/ready");
        caught(settingProblems(recipe.with(f, t -> t.replace("ENV BUS_DATA_DIR=/data", "ENV BUS_DATADIR=/data"))),
                "ENV BUS_DATADIR is no setting of the bus");
        caught(settingProblems(recipe.with(f, t -> t.replace("ENV CAMEL_MANAGEMENT_HOST=0.0.0.0",
                "ENV CAMEL_MANAGEMENT_HOST=127.0.0.1"))), "CAMEL_MANAGEMENT_HOST=0.0.0.0");
        caught(settingProblems(recipe.with(f, t -> t.replace("VOLUME [\"/data\"]", "VOLUME [\"/var/data\"]"))),
                "is not a VOLUME");
        caught(settingProblems(recipe.with(f, t -> t.replace("ENV BUS_DATA_DIR=/data",
                "ENV BUS_DATA_DIR=/data HUBSPOT_ACCESS_TOKEN=x"))), "ENV HUBSPOT_ACCESS_TOKEN is a secret");
    }

    static void caught(List<String> problems, String expected) {
        assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
    }

    static List<String> imageProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        List<String> from = recipe.dockerfile("FROM");
        if (from.size() < 2) {
            problems.add("not multi-stage: " + from);
            return problems;
        }
        String build = from.get(0);
        if (!(build.matches("maven:[^ ]*eclipse-temurin-17[^ ]* AS build") || build.matches("eclipse-temurin:17-jdk[^ ]* AS build"))) {
            problems.add("the build stage is not Maven on a Temurin 17 JDK named build: " + build);
        }
        String run = from.get(from.size() - 1);
        if (!run.matches("eclipse-temurin:17-jre[^ ]*")) {
            problems.add("the run stage is not a Temurin 17 JRE: " + run);
        }
        List<String> users = recipe.dockerfile("USER");
        String user = users.isEmpty() ? "root" : users.get(users.size() - 1).split(":")[0];
        if (user.equals("root") || user.equals("0")) {
            problems.add("runs as root");
        }
        List<String> entrypoint = recipe.dockerfile("ENTRYPOINT");
        List<String> command = entrypoint.isEmpty() ? List.of() : Arrays.stream(entrypoint.get(0)
                .replaceAll("^\\[|\\]$", "").split(",")).map(s -> s.strip().replace("\"", "")).toList();
        int jar = command.indexOf("-jar");
        if (command.isEmpty() || !command.get(0).equals("java") || jar < 0 || jar + 1 >= command.size()
                || !command.get(jar + 1).equals("/app/marketing-bus.jar")) {
            problems.add("does not run java -jar /app/marketing-bus.jar: " + command);
        }
        // the jar copied in is the one Maven builds (pom.xml's finalName)
        String finalName = DeployRecipe.read(DeployRecipe.ROOT.resolve("pom.xml"))
                .replaceAll("(?s).*<finalName>([^<]+)</finalName>.*", "$1");
        boolean copied = recipe.dockerfile("COPY").stream().anyMatch(c -> c.startsWith("--from=build ")
                && c.contains("/target/" + finalName + ".jar ") && c.endsWith(" /app/marketing-bus.jar"));
        if (!copied) {
            problems.add("does not copy target/" + finalName + ".jar from the build stage to /app/marketing-bus.jar");
        }
        // the Lease cluster service the manifests select is only in a jar built with the kubernetes profile
        boolean kubernetes = "kubernetes".equals(recipe.configMap().get("BUS_CLUSTER_SERVICE"));
        boolean withProfile = recipe.dockerfile("RUN").stream()
                .anyMatch(r -> r.contains("mvn") && r.contains(" package") && r.contains("-Pkubernetes"));
        if (kubernetes && !withProfile) {
            problems.add("the ConfigMap selects BUS_CLUSTER_SERVICE=kubernetes but the jar is not built with -Pkubernetes");
        }
        return problems;
    }

    static List<String> portProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        int server = DeployRecipe.defaultPort("camel.server.port");
        int management = DeployRecipe.defaultPort("camel.management.port");
        Set<Integer> exposed = new TreeSet<>();
        recipe.dockerfile("EXPOSE").forEach(e -> Arrays.stream(e.split("\\s+"))
                .forEach(p -> exposed.add(Integer.parseInt(p.replace("/tcp", "")))));
        if (!exposed.equals(new TreeSet<>(List.of(server, management)))) {
            problems.add("EXPOSE " + exposed + " is not camel.server.port " + server + " and camel.management.port "
                    + management);
        }
        List<String> healthchecks = recipe.dockerfile("HEALTHCHECK");
        Matcher url = healthchecks.isEmpty() ? null : URL.matcher(healthchecks.get(0));
        if (url == null || !url.find()) {
            problems.add("no HEALTHCHECK with a URL");
        } else {
            if (Integer.parseInt(url.group(1)) != management) {
                problems.add("HEALTHCHECK port " + url.group(1) + " is not camel.management.port " + management);
            }
            if (!url.group(2).equals(READY)) {
                problems.add("HEALTHCHECK path " + url.group(2) + " is not the readiness path " + READY);
            }
        }
        return problems;
    }

    static List<String> settingProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        Map<String, String> settings = DeployRecipe.settingsByVariable();
        Set<String> secrets = new TreeSet<>();
        DeployRecipe.secretSettings().forEach(s -> secrets.add(MissingSettingException.envName(s)));
        Map<String, String> env = recipe.dockerfileEnv();
        env.keySet().forEach(variable -> {
            if (!settings.containsKey(variable)) {
                problems.add("ENV " + variable + " is no setting of the bus");
            }
            if (secrets.contains(variable)) {
                problems.add("ENV " + variable + " is a secret: it belongs in the environment at run time, not the image");
            }
        });
        if (!"0.0.0.0".equals(env.get("CAMEL_MANAGEMENT_HOST"))) {
            problems.add("the management port must listen beyond loopback for probes and Prometheus: "
                    + "CAMEL_MANAGEMENT_HOST=0.0.0.0");
        }
        String dataDir = env.get("BUS_DATA_DIR");
        boolean onVolume = dataDir != null && recipe.dockerfile("VOLUME").stream().anyMatch(v -> v.contains("\"" + dataDir + "\"")
                || v.equals(dataDir));
        if (!onVolume) {
            problems.add("bus.data-dir (BUS_DATA_DIR=" + dataDir + ") is not a VOLUME");
        }
        return problems;
    }
}
