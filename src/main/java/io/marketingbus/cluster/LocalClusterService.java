package io.marketingbus.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * {@code bus.cluster.service=none}: no coordination, this instance leads every namespace from the start. Only for a
 * bus that is known to run alone; two such instances both run every singleton job.
 */
public final class LocalClusterService extends AbstractCamelClusterService<LocalClusterService.View> {

    public LocalClusterService() {
        super("none");
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    static final class View extends AbstractCamelClusterView {

        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return "local";
            }
        };

        View(CamelClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(local);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        public void addEventListener(org.apache.camel.cluster.CamelClusterEventListener listener) {
            super.addEventListener(listener);
            if (listener instanceof org.apache.camel.cluster.CamelClusterEventListener.Leadership leadership) {
                leadership.leadershipChanged(this, local);
            }
        }
    }
}
