package io.marketingbus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void kubernetesWithoutItsModuleAndUnknownValuesAreRefusedClearly() {
        assertThatThrownBy(() -> create("bus.cluster.service", "kubernetes"))
                .hasMessageContaining("camel-kubernetes").hasMessageContaining("-Pkubernetes");
        assertThatThrownBy(() -> create("bus.cluster.service", "zookeeper"))
                .hasMessageContaining("bus.cluster.service must be kafka, file, kubernetes or none");
    }
}
