package io.marketingbus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.marketingbus.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bus.cluster.service=file: two instances on one shared directory, one leader per job, the other takes over. */
class FileLockJobsTest {

    @TempDir
    Path shared;

    CamelContext instance() throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("bus.cluster.service", "file");
        props.put("bus.cluster.file.root", shared.toString());
        props.put("bus.cluster.file.acquire-lock-delay-ms", "100");
        props.put("bus.cluster.file.acquire-lock-interval-ms", "200");
        context.getPropertiesComponent().setOverrideProperties(props);
        context.addService(ClusterServices.create(context, new Settings(context), "unused:1"));
        context.start();
        return context;
    }

    static CamelClusterView view(CamelContext context) throws Exception {
        return context.hasService(CamelClusterService.class).getView("hubspot-deals-poll");
    }

    @Test
    void oneLeaderAndATakeOver() throws Exception {
        CamelContext a = instance();
        CamelContext b = instance();
        try {
            CamelClusterView va = view(a);
            CamelClusterView vb = view(b);
            await().atMost(Duration.ofSeconds(20)).until(() -> va.getLocalMember().isLeader() || vb.getLocalMember().isLeader());
            assertThat(va.getLocalMember().isLeader() && vb.getLocalMember().isLeader()).isFalse();
            CamelContext leader = va.getLocalMember().isLeader() ? a : b;
            CamelClusterView other = leader == a ? vb : va;
            leader.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> other.getLocalMember().isLeader());
        } finally {
            a.stop();
            b.stop();
        }
    }
}
