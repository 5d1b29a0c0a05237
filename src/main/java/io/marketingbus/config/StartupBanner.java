package io.marketingbus.config;

import java.util.Map;

import io.marketingbus.ingress.IngressRoutes;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformDescriptors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lines an operator reads first: what runs, where, and which platforms are real. No secret is printed. */
final class StartupBanner {

    private static final Logger LOG = LoggerFactory.getLogger("marketing-bus");

    private StartupBanner() {
    }

    static void print(Settings settings, String kafkaMode, Map<String, String> platformModes,
                      java.util.List<IngressRoutes.IngressRoute> webhooks) {
        String version = StartupBanner.class.getPackage().getImplementationVersion();
        StringBuilder sb = new StringBuilder("\n");
        sb.append("  marketing-bus ").append(version == null ? "(development build)" : version)
                .append(", profile ").append(settings.get("camel.main.profile", "dev")).append('\n');
        sb.append("  bus:       ").append(kafkaMode).append('\n');
        sb.append("  webhooks:  http://0.0.0.0:").append(settings.get("camel.server.port", "8080"))
                .append(" (").append(webhooks.stream().map(IngressRoutes.IngressRoute::template)
                        .collect(java.util.stream.Collectors.joining(", "))).append(')').append('\n');
        sb.append("  operate:   http://").append(settings.get("camel.management.host", "0.0.0.0")).append(':')
                .append(settings.get("camel.management.port", "9876"))
                .append(" (/observe/health, /observe/metrics, /observe/jolokia, /admin/events/{id})").append('\n');
        boolean anySandbox = false;
        for (Map.Entry<String, String> platform : platformModes.entrySet()) {
            sb.append("  ").append(String.format("%-10s ", platform.getKey() + ":")).append(platform.getValue()).append('\n');
            anySandbox |= platform.getValue().startsWith("sandbox");
        }
        if (anySandbox) {
            sb.append("  Sandbox mode: sandboxed platforms are emulated in this process; nothing is sent to them,\n")
                    .append("  nothing leaves this machine for them. State: GET /sandbox/<platform>/<collection>.\n");
        }
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            platform.devDefaults().forEach((key, value) -> {
                if (value.equals(settings.get(key, ""))) {
                    sb.append("  ").append(key).append(" is the dev-only value '").append(value).append("': set ")
                            .append(MissingSettingException.envName(key)).append(" for real webhooks.\n");
                }
            });
        }
        // one log line per banner line: every log line escapes control characters, a newline included
        sb.toString().lines().filter(line -> !line.isBlank()).forEach(LOG::info);
    }
}
