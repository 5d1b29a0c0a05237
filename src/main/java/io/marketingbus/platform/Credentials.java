package io.marketingbus.platform;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.marketingbus.ops.BusMeters;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The OAuth credentials the bus refreshes ({@link OAuthTokens}), for operators: a {@code credentials} health check,
 * DOWN with the reason while a token endpoint refuses one (shown in {@code /observe/health}; neither liveness nor
 * readiness, since the bus still takes webhooks and holds the events on Kafka, and a restart does not fix a revoked
 * credential), and the gauge {@code marketing_bus_credentials_valid{credential}}, 1 or 0.
 */
public final class Credentials {

    private final List<OAuthTokens> all = new CopyOnWriteArrayList<>();
    private final PlatformSetup setup;

    private Credentials(PlatformSetup setup) {
        this.setup = setup;
    }

    /** The bus's one instance, bound (with its health check) by the first platform that has a credential. */
    static synchronized Credentials of(PlatformSetup setup) {
        Credentials found = setup.context().getRegistry().lookupByNameAndType(Credentials.class.getSimpleName(),
                Credentials.class);
        if (found == null) {
            found = setup.bind(new Credentials(setup));
            registerHealthCheck(setup.context(), found);
        }
        return found;
    }

    void add(OAuthTokens tokens) {
        all.add(tokens);
        BusMeters.credentialsValid(setup.meters(), tokens.credential(), () -> tokens.problem() == null ? 1 : 0);
    }

    public List<OAuthTokens> all() {
        return List.copyOf(all);
    }

    private static void registerHealthCheck(CamelContext context, Credentials credentials) {
        AbstractHealthCheck check = new AbstractHealthCheck("bus", "credentials") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            public boolean isReadiness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, java.util.Map<String, Object> options) {
                builder.up();
                for (OAuthTokens tokens : credentials.all) {
                    String problem = tokens.problem();
                    builder.detail(tokens.credential(), problem == null ? "valid" : problem);
                    if (problem != null) {
                        builder.down().message("credential " + tokens.credential() + " refused: " + problem
                                + " (its destinations hold their events on Kafka; fix the settings and restart)");
                    }
                }
            }
        };
        try {
            context.addStartupListener((started, alreadyStarted) -> {
                HealthCheckRegistry registry = HealthCheckRegistry.get(started);
                if (registry != null) {
                    check.setCamelContext(started);
                    registry.register(check);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the credentials health check", e);
        }
    }
}
