package io.marketingbus.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.marketingbus.MarketingBus;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real application, started in the test JVM with the embedded broker in a temporary directory and every port
 * chosen by the OS.
 */
public final class RunningBus implements AutoCloseable {

    /**
     * The vendors' samples (src/test/resources/platforms) are dated January 2026, older than the default event time
     * window; test buses accept events up to ten years old unless a test sets the window itself.
     */
    public static final String SAMPLES_MAX_AGE_MS = String.valueOf(Duration.ofDays(3650).toMillis());

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;
    private final int managementPort;

    private RunningBus(Main main, int port, int managementPort) {
        this.main = main;
        this.port = port;
        this.managementPort = managementPort;
    }

    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    public static RunningBus start(Path dataDir, Map<String, String> settings) throws Exception {
        return start(dataDir, settings, null);
    }

    /**
     * A bus whose connectors call the given fakes (each one's {@code <platform>.base-url}); {@code settings} (the
     * credentials the fakes check, anything else a test needs) come after, so a test can still set any of them.
     */
    public static RunningBus startWith(Path dataDir, Map<String, String> settings, FakePlatform... platforms)
            throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        for (FakePlatform platform : platforms) {
            all.put(platform.baseUrlSetting(), platform.baseUrl());
        }
        all.putAll(settings);
        return start(dataDir, all);
    }

    /** @param propertiesFile read after the application's own properties files, as an operator's file would be */
    public static RunningBus start(Path dataDir, Map<String, String> settings, Path propertiesFile) throws Exception {
        int[] ports = EmbeddedKafkaBroker.freePorts(2);
        int port = ports[0];
        int managementPort = ports[1];
        Map<String, String> all = new LinkedHashMap<>();
        all.put("camel.server.port", String.valueOf(port));
        all.put("camel.management.port", String.valueOf(managementPort));
        all.put("bus.data-dir", dataDir.toString());
        all.put("bus.kafka.port", "0");
        all.put("bus.topics.partitions", "2");
        all.put("delivery.retry.initial-delay-ms", "100");
        all.put("delivery.retry.max-delay-ms", "400");
        all.put("delivery.retry.max-elapsed-ms", "20000");
        all.put("ingress.event-time.max-age-ms", SAMPLES_MAX_AGE_MS);
        all.putAll(settings);
        Main main = MarketingBus.create();
        if (propertiesFile != null) {
            main.setDefaultPropertyPlaceholderLocation(main.getDefaultPropertyPlaceholderLocation() + ",file:"
                    + propertiesFile.toAbsolutePath());
        }
        all.forEach(main::addOverrideProperty);
        main.start();
        return new RunningBus(main, port, managementPort);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String bootstrapServers() {
        return context().resolvePropertyPlaceholders("{{camel.component.kafka.brokers}}");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return post(path, contentType, body, java.util.Map.of());
    }

    public HttpResponse<String> post(String path, String contentType, String body, java.util.Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return post(path, "application/x-www-form-urlencoded", form);
    }

    @Override
    public void close() {
        main.stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
