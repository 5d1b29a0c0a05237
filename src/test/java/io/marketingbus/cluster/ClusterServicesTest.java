package io.marketingbus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Properties;

import io.marketingbus.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** bus.cluster.service picks the cluster service; a wrong value or a missing module is a clear start-up error. */
class ClusterServicesTest {

    static CamelClusterService create(String... keyValues) {
        CamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(props);
        return ClusterServices.create(context, new Settings(context), "127.0.0.1:1");
    }

    @Test
    void kafkaByDefault() {
        CamelClusterService service = create();
        assertThat(service).isInstanceOf(KafkaClusterService.class);
        assertThat(((KafkaClusterService) service).topic()).isEqualTo("marketing.leader");
    }

    @Test
    void fileLocksUnderTheDataDirectoryUnlessGivenARoot() {
        assertThat(((FileLockClusterService) create("bus.cluster.service", "file", "bus.data-dir", "/var/bus")).getRoot())
                .isEqualTo("/var/bus/cluster");
        assertThat(((FileLockClusterService) create("bus.cluster.service", "file", "bus.cluster.file.root", "/mnt/x"))
                .getRoot()).isEqualTo("/mnt/x");
    }

    @Test
    void noneLeadsEveryJobAtOnce() throws Exception {
        CamelClusterService service = create("bus.cluster.service", "none");
        assertThat(service.getView("hubspot-deals-poll").getLocalMember().isLeader()).isTrue();
    }

    static boolean kubernetesInTheJar() {
        try {
            Class.forName(ClusterServices.KUBERNETES_CLASS);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void unknownValuesAreRefusedClearly() {
        assertThatThrownBy(() -> create("bus.cluster.service", "zookeeper"))
                .hasMessageContaining("bus.cluster.service must be kafka, file, kubernetes or none");
    }

    @Test
    void kubernetesWithoutItsModuleSaysHowToBuildIt() {
        assumeFalse(kubernetesInTheJar(), "built with -Pkubernetes");
        assertThatThrownBy(() -> create("bus.cluster.service", "kubernetes"))
                .hasMessageContaining("camel-kubernetes").hasMessageContaining("-Pkubernetes");
    }

    /** Only in a build with -Pkubernetes: every setting binds to an option of camel-kubernetes' cluster service. */
    @Test
    void kubernetesLeasesAreConfiguredBySettings() throws Exception {
        assumeTrue(kubernetesInTheJar(), "built without -Pkubernetes");
        CamelClusterService service = create("bus.cluster.service", "kubernetes", "bus.cluster.kubernetes.namespace", "bus",
                "bus.cluster.kubernetes.pod-name", "bus-0", "bus.cluster.kubernetes.lease-duration-ms", "20000");
        assertThat(service.getClass().getName()).isEqualTo(ClusterServices.KUBERNETES_CLASS);
        assertThat(service.getClass().getMethod("getPodName").invoke(service)).isEqualTo("bus-0");
        assertThat(service.getClass().getMethod("getKubernetesNamespace").invoke(service)).isEqualTo("bus");
        assertThat(service.getClass().getMethod("getLeaseDurationMillis").invoke(service)).isEqualTo(20000L);
        assertThat(service.getClass().getMethod("getKubernetesResourceName").invoke(service)).isEqualTo("marketing-bus-leader");
    }
}
