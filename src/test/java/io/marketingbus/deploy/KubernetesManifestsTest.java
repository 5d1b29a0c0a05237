package io.marketingbus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.config.Settings;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformDescriptors;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes/} against the product: ports, probes, every variable a
 * setting, secrets only from the Secret, what prod requires all given, the autoscaler on the real consumer groups
 * and capped at the partitions, the management port closed to all but Prometheus and operators, the Lease
 * permissions. Each check is also run on a wrong manifest, to prove it fails.
 */
class KubernetesManifestsTest {

    static final String LIVE = "/observe/health/live";
    static final String READY = "/observe/health/ready";
    static final String CONFIG = DeployRecipe.MANIFESTS + "/configmap.yaml";
    static final String SECRET = DeployRecipe.MANIFESTS + "/secret.template.yaml";
    static final String DEPLOYMENT = DeployRecipe.MANIFESTS + "/deployment.yaml";
    static final String SCALER = DeployRecipe.MANIFESTS + "/scaledobject.yaml";
    static final String POLICY = DeployRecipe.MANIFESTS + "/networkpolicy.yaml";
    /**
     * HubSpot's limit per account, which the manifests assume: 190 requests per 10 s (Professional and Enterprise;
     * docs/platforms/hubspot.md). Every instance the autoscaler may start calls HubSpot at its own rate.
     */
    static final double HUBSPOT_ACCOUNT_REQUESTS_PER_SECOND = 19;

    final DeployRecipe recipe = DeployRecipe.load();

    @Test
    void theDeploymentRunsTwoInstancesProbedOnTheManagementPortsHealthPaths() {
        assertThat(deploymentProblems(recipe)).isEmpty();
    }

    @Test
    void theServiceCarriesWebhooksOnly() {
        assertThat(serviceProblems(recipe)).isEmpty();
    }

    @Test
    void everyVariableIsASettingAndProdRunsOnTheExternalClusterWithTheLeaseClusterService() {
        assertThat(environmentProblems(recipe)).isEmpty();
    }

    @Test
    void secretsComeFromTheSecretOnlyEveryOneProdRequiresIsThereAndTheTemplateHoldsPlaceholders() {
        assertThat(secretProblems(recipe)).isEmpty();
    }

    @Test
    void theAutoscalerScalesOnTheDeliveryGroupsLagAndStopsAtThePartitionCount() {
        assertThat(autoscalerProblems(recipe)).isEmpty();
    }

    @Test
    void onlyPrometheusAndOperatorsReachTheManagementPort() {
        assertThat(networkProblems(recipe)).isEmpty();
    }

    @Test
    void theServiceAccountMayGetCreateAndUpdateLeases() {
        assertThat(leaseProblems(recipe)).isEmpty();
    }

    @Test
    void eachCheckFailsOnAWrongManifest() {
        caught(deploymentProblems(recipe.with(DEPLOYMENT, t -> t.replace("replicas: 2", "replicas: 1"))),
                "replicas is not 2");
        caught(deploymentProblems(recipe.with(DEPLOYMENT, t -> t.replace("path: /observe/health/ready",
                "path: /observe/health/readiness"))), "readinessProbe does not GET /observe/health/ready");
        caught(deploymentProblems(recipe.with(DEPLOYMENT, t -> t.replace("containerPort: 9876", "containerPort: 9877"))),
                "container ports [8080, 9877]");
        caught(deploymentProblems(recipe.with(DEPLOYMENT, t -> t.replace("terminationGracePeriodSeconds: 45",
                "terminationGracePeriodSeconds: 30"))), "does not outlast camel.main.shutdown-timeout 30");
        caught(deploymentProblems(recipe.with(DEPLOYMENT, t -> t.replace("prometheus.io/port: \"9876\"",
                "prometheus.io/port: \"8080\""))), "Prometheus is not told");
        caught(serviceProblems(recipe.with(DeployRecipe.MANIFESTS + "/service.yaml",
                t -> t.replace("targetPort: 8080", "targetPort: 9876"))), "exposes port 9876");
        caught(environmentProblems(recipe.with(CONFIG, t -> t.replace("BUS_TOPICS_REPLICATION_FACTOR:",
                "BUS_TOPIC_REPLICATION_FACTOR:"))), "BUS_TOPIC_REPLICATION_FACTOR is no setting of the bus");
        caught(environmentProblems(recipe.with(CONFIG, t -> t.replace("CAMEL_MAIN_PROFILE: prod",
                "CAMEL_MAIN_PROFILE: dev"))), "must set CAMEL_MAIN_PROFILE=prod");
        caught(environmentProblems(recipe.with(DEPLOYMENT, t -> t.replace("name: marketing-bus-secrets",
                "name: bus-secrets"))), "envFrom");
        caught(environmentProblems(recipe.with(DEPLOYMENT, t -> t.replace("fieldPath: metadata.name",
                "fieldPath: spec.nodeName"))), "downward API");
        caught(secretProblems(recipe.with(CONFIG, t -> t + "  GA4_API_SECRET: \"<in the wrong place>\"\n")),
                "GA4_API_SECRET is a secret but comes from the ConfigMap");
        caught(secretProblems(recipe.with(SECRET, t -> t.replaceAll("(?m)^  HUBSPOT_CLIENT_SECRET:.*\n", ""))),
                "hubspot.client-secret is required in prod and not given by the Secret");
        caught(secretProblems(recipe.with(SECRET, t -> t.replace(
                "\"<HubSpot private-app or OAuth access token>\"", "pat-eu1-2f6c1a9e-0b7d-4e1a-9c3f-5d8e7a6b4c21"))),
                "value for HUBSPOT_ACCESS_TOKEN that is not a <placeholder>");
        caught(secretProblems(recipe.with(CONFIG, t -> t.replaceAll("(?m)^  GA4_PROPERTY_ID:.*\n", ""))),
                "ga4.property-id is required in prod and not given by the ConfigMap");
        caught(autoscalerProblems(recipe.with(SCALER, t -> t.replace("maxReplicaCount: 6", "maxReplicaCount: 7"))),
                "maxReplicaCount 7 is not capped at the partition count 6");
        caught(autoscalerProblems(recipe.with(CONFIG, t -> t.replace("BUS_LOG_FORMAT:", "BUS_TOPICS_PARTITIONS: \"4\"\n  BUS_LOG_FORMAT:"))),
                "maxReplicaCount 6 is not capped at the partition count 4");
        caught(autoscalerProblems(recipe.with(SCALER, t -> t.replace("consumerGroup: marketing-bus.marketing.purchases.resolver",
                "consumerGroup: marketing-bus.marketing.purchases.resolve"))), "are not the deliveries'");
        caught(autoscalerProblems(recipe.with(SCALER, t -> t.replaceFirst("kafka-0.kafka-headless", "kafka-9.kafka-headless"))),
                "reads another Kafka cluster");
        caught(autoscalerProblems(recipe.with(CONFIG, t -> t.replace("HUBSPOT_REQUESTS_PER_SECOND: \"3\"",
                "HUBSPOT_REQUESTS_PER_SECOND: \"9\""))), "exceed HubSpot's");
        caught(networkProblems(recipe.with(POLICY, t -> t.replace("    - ports:\n        - port: 8080\n",
                "    - ports:\n        - port: 8080\n        - port: 9876\n"))), "open to any source admits the management port");
        caught(networkProblems(recipe.with(POLICY, t -> t.replace("    - ports:\n        - port: 8080\n",
                "    - {}\n"))), "open to any source admits the management port");
        caught(networkProblems(recipe.with(POLICY, t -> t.replace("        - port: 9876\n", "        - port: 9875\n"))),
                "nothing may scrape the management port");
        caught(leaseProblems(recipe.with(DeployRecipe.MANIFESTS + "/rbac.yaml",
                t -> t.replace("[\"get\", \"create\", \"update\"]", "[\"get\"]"))), "not get, create and update");
    }

    static void caught(List<String> problems, String expected) {
        assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
    }

    // ------------------------------------------------------------------------------------------------------ checks

    static List<String> deploymentProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        int server = DeployRecipe.defaultPort("camel.server.port");
        int management = DeployRecipe.defaultPort("camel.management.port");
        JsonNode deployment = recipe.manifest("Deployment");
        if (deployment.path("spec").path("replicas").asInt() != 2) {
            problems.add("replicas is not 2");
        }
        // SIGTERM, then Camel gives in-flight deliveries camel.main.shutdown-timeout: the kubelet must wait longer
        int shutdown = Integer.parseInt(DeployRecipe.applicationProperties().getProperty("camel.main.shutdown-timeout").strip());
        int grace = deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt(30);
        if (grace <= shutdown) {
            problems.add("terminationGracePeriodSeconds " + grace + " does not outlast camel.main.shutdown-timeout " + shutdown);
        }
        JsonNode container = recipe.container();
        Set<Integer> ports = new TreeSet<>();
        container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        if (!ports.equals(new TreeSet<>(List.of(server, management)))) {
            problems.add("container ports " + ports + " are not " + server + " and " + management);
        }
        Map<String, String> probes = Map.of("livenessProbe", LIVE, "readinessProbe", READY);
        probes.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            if (!path.equals(get.path("path").asText())) {
                problems.add(probe + " does not GET " + path);
            }
            if (get.isMissingNode() || recipe.port(get.path("port")) != management) {
                problems.add(probe + " is not on the management port " + management);
            }
        });
        JsonNode startup = container.path("startupProbe").path("httpGet");
        if (!startup.isMissingNode() && (recipe.port(startup.path("port")) != management
                || !List.of(LIVE, READY).contains(startup.path("path").asText()))) {
            problems.add("startupProbe is not a health path on the management port");
        }
        JsonNode resources = container.path("resources");
        if (resources.path("requests").path("cpu").isMissingNode() || resources.path("requests").path("memory").isMissingNode()
                || resources.path("limits").path("memory").isMissingNode()) {
            problems.add("resources: cpu and memory requests and a memory limit are needed");
        }
        JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
        if (annotations.path("prometheus.io/port").asInt() != management
                || !"/observe/metrics".equals(annotations.path("prometheus.io/path").asText())) {
            problems.add("Prometheus is not told to scrape /observe/metrics on the management port");
        }
        String account = deployment.path("spec").path("template").path("spec").path("serviceAccountName").asText();
        if (!account.equals(recipe.manifest("ServiceAccount").path("metadata").path("name").asText())) {
            problems.add("the pods do not run as the ServiceAccount the Lease role is bound to");
        }
        return problems;
    }

    static List<String> serviceProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        int server = DeployRecipe.defaultPort("camel.server.port");
        for (JsonNode service : recipe.manifests("Service")) {
            for (JsonNode port : service.path("spec").path("ports")) {
                int target = port.has("targetPort") ? recipe.port(port.path("targetPort")) : port.path("port").asInt();
                if (target != server) {
                    problems.add("Service " + service.path("metadata").path("name").asText() + " exposes port " + target
                            + ", not the webhook port " + server);
                }
            }
        }
        if (recipe.manifests("Service").isEmpty()) {
            problems.add("no Service for the webhooks");
        }
        return problems;
    }

    static List<String> environmentProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        Map<String, String> settings = DeployRecipe.settingsByVariable();
        Map<String, String> config = recipe.configMap();
        Set<String> variables = new LinkedHashSet<>(config.keySet());
        variables.addAll(recipe.secret().keySet());
        recipe.container().path("env").forEach(e -> variables.add(e.path("name").asText()));
        variables.stream().filter(v -> !settings.containsKey(v))
                .forEach(v -> problems.add(v + " is no setting of the bus"));
        Map<String, String> expected = Map.of("CAMEL_MAIN_PROFILE", "prod", "BUS_TOPICS_REPLICATION_FACTOR", "3",
                "BUS_CLUSTER_SERVICE", "kubernetes");
        expected.forEach((variable, value) -> {
            if (!value.equals(config.get(variable))) {
                problems.add("the ConfigMap must set " + variable + "=" + value);
            }
        });
        if (config.getOrDefault("CAMEL_COMPONENT_KAFKA_BROKERS", "").isBlank()) {
            problems.add("the ConfigMap must name the Kafka cluster (CAMEL_COMPONENT_KAFKA_BROKERS)");
        }
        Set<String> sources = new TreeSet<>();
        recipe.container().path("envFrom").forEach(from -> {
            if (from.has("configMapRef")) {
                sources.add("ConfigMap/" + from.path("configMapRef").path("name").asText());
            }
            if (from.has("secretRef")) {
                sources.add("Secret/" + from.path("secretRef").path("name").asText());
            }
        });
        Set<String> declared = Set.of("ConfigMap/" + recipe.manifest("ConfigMap").path("metadata").path("name").asText(),
                "Secret/" + recipe.manifest("Secret").path("metadata").path("name").asText());
        if (!sources.equals(declared)) {
            problems.add("the container's envFrom " + sources + " is not the ConfigMap and the Secret " + declared);
        }
        Map<String, String> downward = new TreeMap<>();
        recipe.container().path("env").forEach(e -> downward.put(e.path("name").asText(),
                e.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
        if (!"metadata.namespace".equals(downward.get("BUS_CLUSTER_KUBERNETES_NAMESPACE"))
                || !"metadata.name".equals(downward.get("BUS_CLUSTER_KUBERNETES_POD_NAME"))) {
            problems.add("the Lease cluster service needs the namespace and the pod name from the downward API");
        }
        return problems;
    }

    static List<String> secretProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        Map<String, String> config = recipe.configMap();
        Map<String, String> secret = recipe.secret();
        Set<String> secrets = new TreeSet<>();
        DeployRecipe.secretSettings().forEach(s -> secrets.add(MissingSettingException.envName(s)));
        config.keySet().stream().filter(secrets::contains)
                .forEach(v -> problems.add(v + " is a secret but comes from the ConfigMap"));
        recipe.container().path("env").forEach(e -> {
            if (secrets.contains(e.path("name").asText()) && e.path("valueFrom").path("secretKeyRef").isMissingNode()) {
                problems.add(e.path("name").asText() + " is a secret but the Deployment does not take it from a Secret");
            }
        });
        secret.keySet().stream().filter(v -> !secrets.contains(v))
                .forEach(v -> problems.add(v + " is in the Secret but is no secret setting: put it in the ConfigMap"));
        secret.forEach((variable, value) -> {
            if (!value.matches("<[^<>]+>")) {
                problems.add("the Secret template holds a value for " + variable + " that is not a <placeholder>");
            }
        });
        if (recipe.manifest("Secret").has("data")) {
            problems.add("the Secret template has base64 data: placeholders go in stringData");
        }
        java.util.Properties defaults = DeployRecipe.applicationProperties();
        for (String required : requiredInProd(config)) {
            // "a|b": either alternative will do (a static token, or OAuth refresh credentials)
            boolean given = false;
            List<String> variables = new ArrayList<>();
            boolean secretKind = false;
            for (String key : required.split("\\|")) {
                String variable = MissingSettingException.envName(key);
                variables.add(variable);
                secretKind |= secrets.contains(variable);
                given |= secrets.contains(variable) ? secret.containsKey(variable)
                        : config.containsKey(variable) || !defaults.getProperty(key, "").isBlank();
            }
            if (!given) {
                problems.add(required + " is required in prod and not given by the " + (secretKind ? "Secret" : "ConfigMap")
                        + " (" + String.join("|", variables) + ")");
            }
        }
        return problems;
    }

    /**
     * What prod start-up requires with this ConfigMap, as BusLifecycle decides it: the Kafka cluster, the required
     * keys of each API the configuration uses (Mailchimp's only when it is the loyalty provider, GA4's Data API only
     * when reconciling), each platform's dev defaults (its own ingress secrets).
     */
    static Set<String> requiredInProd(Map<String, String> config) {
        Map<String, String> keys = DeployRecipe.settingsByVariable();
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setLocation("file:" + DeployRecipe.ROOT.resolve("application.properties"));
            config.forEach((variable, value) -> context.getPropertiesComponent()
                    .addOverrideProperty(keys.getOrDefault(variable, variable), value));
            Settings settings = new Settings(context);
            Set<String> required = new TreeSet<>(List.of("camel.component.kafka.brokers"));
            for (PlatformApi api : PlatformDescriptors.apis()) {
                if (api.used().test(settings)) {
                    required.addAll(api.requiredKeys());
                }
            }
            for (PlatformDescriptor platform : PlatformDescriptors.all()) {
                required.addAll(platform.devDefaults().keySet());
            }
            return required;
        } finally {
            context.stop();
        }
    }

    static List<String> autoscalerProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        JsonNode scaler = recipe.manifest("ScaledObject");
        JsonNode spec = scaler.path("spec");
        String deployment = recipe.manifest("Deployment").path("metadata").path("name").asText();
        if (!deployment.equals(spec.path("scaleTargetRef").path("name").asText())) {
            problems.add("the ScaledObject does not scale the Deployment " + deployment);
        }
        Map<String, String> config = recipe.configMap();
        int partitions = Integer.parseInt(config.getOrDefault("BUS_TOPICS_PARTITIONS",
                DeployRecipe.applicationProperties().getProperty("bus.topics.partitions")).strip());
        int max = spec.path("maxReplicaCount").asInt();
        int min = spec.path("minReplicaCount").asInt();
        if (max < 1 || max > partitions) {
            problems.add("maxReplicaCount " + max + " is not capped at the partition count " + partitions);
        }
        if (min != recipe.manifest("Deployment").path("spec").path("replicas").asInt() || min > max) {
            problems.add("minReplicaCount " + min + " is not the Deployment's replicas");
        }
        Map<String, String> groups = new TreeMap<>();
        for (JsonNode trigger : spec.path("triggers")) {
            JsonNode metadata = trigger.path("metadata");
            if (!"kafka".equals(trigger.path("type").asText())) {
                problems.add("a trigger is not KEDA's kafka scaler: " + trigger.path("type").asText());
                continue;
            }
            groups.put(metadata.path("consumerGroup").asText(), metadata.path("topic").asText());
            if (!metadata.path("bootstrapServers").asText().equals(config.get("CAMEL_COMPONENT_KAFKA_BROKERS"))) {
                problems.add("trigger " + metadata.path("consumerGroup").asText()
                        + " reads another Kafka cluster than the ConfigMap's CAMEL_COMPONENT_KAFKA_BROKERS");
            }
            if (!"false".equals(metadata.path("allowIdleConsumers").asText("false"))) {
                problems.add("allowIdleConsumers would scale past the partitions");
            }
            if (metadata.path("lagThreshold").asInt() <= 0) {
                problems.add("trigger " + metadata.path("consumerGroup").asText() + " has no lagThreshold");
            }
        }
        Map<String, String> derived = DeployRecipe.deliveryGroupsToTopics();
        if (!groups.equals(derived)) {
            problems.add("the triggers' groups and topics " + groups + " are not the deliveries' " + derived);
        }
        double perInstance = Double.parseDouble(config.getOrDefault("HUBSPOT_REQUESTS_PER_SECOND",
                DeployRecipe.applicationProperties().getProperty("hubspot.requests-per-second")).strip());
        if (perInstance * max > HUBSPOT_ACCOUNT_REQUESTS_PER_SECOND) {
            problems.add(max + " instances at hubspot.requests-per-second " + perInstance + " exceed HubSpot's "
                    + HUBSPOT_ACCOUNT_REQUESTS_PER_SECOND + " per second per account");
        }
        return problems;
    }

    static List<String> networkProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        int server = DeployRecipe.defaultPort("camel.server.port");
        int management = DeployRecipe.defaultPort("camel.management.port");
        List<JsonNode> policies = recipe.manifests("NetworkPolicy");
        JsonNode labels = recipe.manifest("Deployment").path("spec").path("template").path("metadata").path("labels");
        boolean managementAllowed = false;
        boolean selected = false;
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            JsonNode selector = spec.path("podSelector").path("matchLabels");
            boolean matches = selector.size() > 0;
            for (var it = selector.fields(); it.hasNext();) {
                var label = it.next();
                matches &= label.getValue().asText().equals(labels.path(label.getKey()).asText(null));
            }
            if (!matches) {
                continue;
            }
            selected = true;
            boolean ingress = false;
            for (JsonNode type : spec.path("policyTypes")) {
                ingress |= "Ingress".equals(type.asText());
            }
            if (!ingress) {
                problems.add("NetworkPolicy " + policy.path("metadata").path("name").asText() + " does not restrict ingress");
            }
            for (JsonNode rule : spec.path("ingress")) {
                boolean fromAnywhere = rule.path("from").size() == 0;
                List<Integer> ports = new ArrayList<>();
                rule.path("ports").forEach(p -> ports.add(recipe.port(p.path("port"))));
                if (fromAnywhere && (ports.isEmpty() || ports.contains(management))) {
                    problems.add("a rule open to any source admits the management port " + management);
                }
                if (fromAnywhere && !ports.isEmpty() && !List.of(server).containsAll(ports)) {
                    problems.add("a rule open to any source admits ports " + ports + " beyond the webhook port");
                }
                managementAllowed |= !fromAnywhere && (ports.isEmpty() || ports.contains(management));
            }
        }
        if (!selected) {
            problems.add("no NetworkPolicy selects the bus's pods");
        }
        if (!managementAllowed) {
            problems.add("nothing may scrape the management port " + management);
        }
        return problems;
    }

    static List<String> leaseProblems(DeployRecipe recipe) {
        List<String> problems = new ArrayList<>();
        JsonNode role = recipe.manifest("Role");
        Set<String> verbs = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            boolean leases = false;
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    leases |= "coordination.k8s.io".equals(group.asText()) && "leases".equals(resource.asText());
                }
            }
            if (leases) {
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            }
        }
        if (!verbs.containsAll(List.of("get", "create", "update"))) {
            problems.add("the Role grants " + verbs + " on coordination.k8s.io leases, not get, create and update");
        }
        JsonNode binding = recipe.manifest("RoleBinding");
        String account = recipe.manifest("ServiceAccount").path("metadata").path("name").asText();
        boolean bound = binding.path("roleRef").path("name").asText().equals(role.path("metadata").path("name").asText());
        boolean subject = false;
        for (JsonNode s : binding.path("subjects")) {
            subject |= "ServiceAccount".equals(s.path("kind").asText()) && account.equals(s.path("name").asText());
        }
        if (!bound || !subject) {
            problems.add("the RoleBinding does not bind the Lease role to the ServiceAccount " + account);
        }
        return problems;
    }
}
