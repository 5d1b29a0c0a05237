package io.marketingbus.bus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) running inside the application's JVM, so a
 * newcomer needs no installed Kafka. Its log directory is formatted once; later starts reuse it, so events on the
 * bus survive a restart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.requestedPort = port;
        this.requestedControllerPort = controllerPort;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        // a restart keeps the ports, so clients reconnect to the address they know
        if (port == 0) {
            int[] free = freePorts(2);
            port = requestedPort > 0 ? requestedPort : free[0];
            controllerPort = requestedControllerPort > 0 ? requestedControllerPort : free[1];
        }
        Path logDir = dataDir.toAbsolutePath().normalize().resolve("kafka");
        Files.createDirectories(logDir);
        Properties props = brokerProperties(logDir, port, controllerPort);
        formatIfNew(logDir, props);

        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            // a failed startup leaves broker threads running and the JVM hanging unless we shut it down
            candidate.shutdown();
            candidate.awaitShutdown();
            throw new IllegalStateException("Embedded Kafka broker could not start on 127.0.0.1:" + port
                    + " (data in " + logDir + "): " + e.getMessage(), e);
        }
        server = candidate;
        LOG.info("Embedded Kafka broker started on 127.0.0.1:{} (data in {})", port, logDir);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Embedded Kafka broker stopped");
    }

    @Override
    public void close() {
        stop();
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // a static voter list (not --standalone formatting) lets the controller port change between runs
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // after a crash the broker's old session would otherwise block a restart for ~12 s
        p.put("broker.session.timeout.ms", "2000");
        p.put("broker.heartbeat.interval.ms", "500");
        // records are flushed by the OS; an fsync per record would slow every webhook answer
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private static void formatIfNew(Path logDir, Properties props) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = Files.createTempFile("embedded-kafka", ".properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "marketing-bus embedded broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            int code = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(), "-g"}, print);
            if (code != 0) {
                throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed: " + output);
            }
        } finally {
            Files.deleteIfExists(configFile);
        }
        LOG.info("Formatted new Kafka storage in {}", logDir);
    }

    /**
     * Distinct free ports: every socket stays bound until all are chosen, so the OS cannot hand the same
     * port out twice (closing each before asking for the next once gave the broker and controller one port).
     */
    public static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
