import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * marketing-bus benchmark (issue 19; flow 1: Mailchimp webhook → Kafka → HubSpot). Three processes besides this one:
 * the Kafka broker (bench/Broker.java), the real jar on it (external broker) with HubSpot served by a fake in this
 * process (fixed latency per call), and a bare Camel route platform-http → kafka → 200 with the bus's producer
 * settings (bench/BareCamel.java) on the same broker. After a JIT warm-up of each, repeated BENCH_RUNS times
 * (medians reported), each phase measuring the CPU of the bus, the broker and the bare process apart:
 * <ul>
 *   <li>bare: wrk on the bare route: accepted/s, webhook→2xx;</li>
 *   <li>bus max: wrk on the bus's Mailchimp webhook: accepted/s, webhook→2xx, and accepted-and-delivered/s (the
 *       accepted webhooks ÷ the time from wrk's start until the fake HubSpot has as many of its e-mails);</li>
 *   <li>fixed rates (BENCH_RATES webhooks/s for BENCH_SECONDS each): wrk paced by bench/mailchimp-paced.lua,
 *       webhook→2xx from wrk, webhook→HubSpot-accepted from the bus's delivery latency histogram (bucket deltas over
 *       the phase); or, BENCH_GENERATOR=java, this process as generator, both per e-mail;</li>
 *   <li>delivery drain: BENCH_DRAIN_EVENTS canonical events (copies of one the ingress wrote) produced straight
 *       into the broker, timed until the fake HubSpot accepted the last one;</li>
 *   <li>raw Kafka baseline: the same records through the same broker with a plain producer and consumer.</li>
 * </ul>
 * Writes bench/results/latest.md, bench/results/&lt;date&gt;-&lt;commit&gt;.md and
 * bench/results/latency-vs-throughput.png. Not part of the test suite. Every process it starts is stopped at the
 * end, on failure and on Ctrl-C; their logs are in the temporary directory it prints.
 *
 * Run: bench/run.sh   (environment: see bench/README.md)
 */
public class Bench {

    /** Java generator e-mails (b123@...), drain and raw copies (d123@, r123@) and wrk's (tag.thread.n@...). */
    static final Pattern EMAIL = Pattern.compile("\"id\":\"([a-z0-9.]+@example\\.com)\"");
    static final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    static final Map<String, Long> appliedAt = new ConcurrentHashMap<>();
    /** wrk's e-mails per tag (the part before the first dot): the distinct ones seen and when each first arrived. */
    static final Map<String, Set<String>> seenByTag = new ConcurrentHashMap<>();
    static final Map<String, List<Long>> arrivalsByTag = new ConcurrentHashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).build();
    static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    static final AtomicInteger seq = new AtomicInteger();
    static final AtomicInteger calls = new AtomicInteger();
    static final AtomicInteger inputs = new AtomicInteger();

    static final int SECONDS = env("BENCH_SECONDS", 30);
    static final int WARMUP_SECONDS = env("BENCH_WARMUP_SECONDS", SECONDS);
    static final int CONNECTIONS = env("BENCH_CONNECTIONS", 64);
    static final int THREADS = env("BENCH_THREADS", 2);
    static final int FAKE_LATENCY = env("BENCH_FAKE_LATENCY_MS", 20);
    static final int DRAIN_EVENTS = env("BENCH_DRAIN_EVENTS", 100000);
    static final int RUNS = env("BENCH_RUNS", 3);
    /** enough records for the plain client to reach its steady rate (notes/embedded-kafka.md used 1,000,000) */
    static final int RAW_EVENTS = env("BENCH_RAW_EVENTS", 500000);
    /** the fixed rates' generator: wrk paced by bench/mailchimp-paced.lua (default), or this process ("java") */
    static final String GENERATOR = System.getenv().getOrDefault("BENCH_GENERATOR", "wrk").trim();
    /** the bus's management port: /observe/metrics, the delivery latency histogram of the wrk fixed rates */
    static String metricsUrl;

    /**
     * One row of a round. Per webhook (per event for drain and raw): the CPU ms of the process under test (the bus;
     * the bare process in the bare row), of the broker, of the generator (wrk; this process, with the fake, for
     * the fixed rates; the plain clients for raw). NaN: not measured in that phase.
     */
    record Result(String phase, String label, long events, double acceptedPerSec, double acceptedDeliveredPerSec,
                  double deliveredPerSec, double ack50, double ack99, double e2e50, double e2e99, double cpuMs,
                  double brokerCpuMs, double generatorCpuMs, String details) {
    }

    /** A process the bench started: its log, and its CPU from /proc. */
    record Proc(String name, Process process, Path log) {
        double cpuSeconds() throws IOException {
            return Bench.cpuSeconds(process.pid());
        }

        void check() throws IOException {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died (exit " + process.exitValue() + "); the end of "
                        + log + ":\n" + tail(log, 40));
            }
        }
    }

    static final List<Proc> started = Collections.synchronizedList(new ArrayList<>());
    static Proc broker;
    static Proc bus;
    static Proc bare;
    static volatile boolean interrupted;

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted = true;
            stopAll();
        }, "bench-stop"));
        int status = 0;
        try {
            run();
        } catch (Throwable t) {
            if (interrupted) {
                System.out.println("bench: interrupted, its processes stopped");
            } else {
                t.printStackTrace();
            }
            status = 1;
        } finally {
            stopAll();
        }
        // the fake's and the client's thread pools are not daemon threads
        System.exit(status);
    }

    static void run() throws Exception {
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path jar = repo.resolve("target/marketing-bus.jar");
        List<Integer> rates = new ArrayList<>();
        for (String r : System.getenv().getOrDefault("BENCH_RATES", "1000").split(",")) {
            if (!r.isBlank()) {
                rates.add(Integer.parseInt(r.trim()));
            }
        }
        String startLoad = Files.readString(Path.of("/proc/loadavg")).trim();
        HttpServer fake = fakeHubSpot();
        Path work = Files.createTempDirectory("bench");
        System.out.println("bench: processes' logs in " + work);

        int[] ports = EmbeddedKafkaBroker.freePorts(5);
        String bootstrap = "127.0.0.1:" + ports[0];
        broker = start("broker", work, List.of("-Xmx1g"), List.of("-cp", jar.toString(),
                repo.resolve("bench/Broker.java").toString(), work.resolve("broker").toString(),
                String.valueOf(ports[0]), String.valueOf(ports[1])), Map.of());
        waitForLine(broker, "broker ready on", 120);

        if (!GENERATOR.equals("wrk") && !GENERATOR.equals("java")) {
            throw new IllegalArgumentException("BENCH_GENERATOR is wrk or java, not " + GENERATOR);
        }
        List<String> busOpts = new ArrayList<>(List.of("-Xmx1g"));
        busOpts.addAll(split(System.getenv().getOrDefault("BENCH_BUS_OPTS", "")));
        bus = start("bus", work, busOpts, List.of("-jar", jar.toString()), Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(ports[2]), "CAMEL_MANAGEMENT_PORT", String.valueOf(ports[3]),
                "CAMEL_COMPONENT_KAFKA_BROKERS", bootstrap,
                "HUBSPOT_BASE_URL", "http://127.0.0.1:" + fake.getAddress().getPort(), "HUBSPOT_ACCESS_TOKEN", "bench",
                "HUBSPOT_CLIENT_SECRET", "bench", "HUBSPOT_REQUESTS_PER_SECOND", "100000", "MAILCHIMP_WEBHOOK_SECRET", "bench"));
        List<String> bareOpts = new ArrayList<>(List.of("-Xmx1g"));
        bareOpts.addAll(split(System.getenv().getOrDefault("BENCH_BARE_OPTS", "")));
        bare = start("bare", work, bareOpts, List.of("-cp", jar.toString(), repo.resolve("bench/BareCamel.java").toString(),
                String.valueOf(ports[4]), bootstrap, "bench.bare"), Map.of());
        String url = "http://127.0.0.1:" + ports[2] + "/webhooks/mailchimp/bench";
        metricsUrl = "http://127.0.0.1:" + ports[3] + "/observe/metrics";
        String bareUrl = "http://127.0.0.1:" + ports[4] + "/webhooks/mailchimp/bench";
        waitHttp(url, bus, true);
        // the bare topic gets the partitions the bus gave its flow topic at start
        int partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            partitions = admin.describeTopics(List.of("marketing.subscriptions")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("marketing.subscriptions").partitions().size();
            admin.createTopics(List.of(new NewTopic("bench.bare", partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        waitHttp(bareUrl, bare, false);
        System.out.printf("bench: broker %s (pid %d), bus %s (pid %d), bare Camel %s (pid %d); %d partitions%n", bootstrap,
                broker.process().pid(), url, bus.process().pid(), bareUrl, bare.process().pid(), partitions);

        // the sample's fired_at, moved to now: the bus refuses events more than 72 h old
        String formText = Files.readString(repo.resolve("src/test/resources/platforms/mailchimp/mailchimp-subscribe.form"))
                .trim().replace("fired_at=2026-01-15+09%3A31%3A07", "fired_at=" + java.time.LocalDateTime.now(ZoneOffset.UTC)
                        .withNano(0).toString().replace("T", "+").replace(":", "%3A"));
        Path form = Files.writeString(work.resolve("mailchimp-subscribe.form"), formText);
        List<List<Result>> perRun = new ArrayList<>();
        // JIT warm-up of each process, not reported: the bare route and the bus's ingress under wrk, the bus's
        // fixed-rate path, its delivery under a backlog
        System.out.println("--- warm-up");
        wrk(repo, bareUrl, form, "wb", WARMUP_SECONDS);
        fixedRate(repo, url, form, formText, 500, Math.min(4, WARMUP_SECONDS), "warm-up", "wf");
        busMax(repo, url, form, "wm", WARMUP_SECONDS);
        drain(bootstrap, Math.min(50000, DRAIN_EVENTS));
        for (int run = 1; run <= RUNS; run++) {
            System.out.println("--- round " + run + " of " + RUNS);
            List<Result> results = new ArrayList<>();
            settle();
            results.add(bareMax(repo, bareUrl, form, "b" + run));
            settle();
            results.add(busMax(repo, url, form, "m" + run, SECONDS));
            for (int rate : rates) {
                settle();
                results.add(fixedRate(repo, url, form, formText, rate, SECONDS, "fixed", "f" + run + "r" + rate));
            }
            settle();
            results.add(drain(bootstrap, DRAIN_EVENTS));
            settle();
            results.add(rawKafka(bootstrap, RAW_EVENTS, run, partitions));
            perRun.add(results);
        }
        Map<String, Long> rss = new LinkedHashMap<>();
        for (Proc p : List.of(bus, broker, bare)) {
            rss.put(p.name(), peakRssKb(p.process().pid()));
        }
        String endLoad = Files.readString(Path.of("/proc/loadavg")).trim();
        write(repo, perRun, medians(perRun), rss, rates, startLoad, endLoad);
        fake.stop(0);
        HTTP.executor().ifPresent(e -> ((java.util.concurrent.ExecutorService) e).shutdownNow());
    }

    /** HubSpot's batch upsert, answering after a fixed latency; notes when each e-mail first arrived. */
    static HttpServer fakeHubSpot() throws IOException {
        // TCP_NODELAY: without it the JDK server's response headers and body leave as two segments and the second
        // waits for the client's delayed ACK, adding ~40 ms to most calls (an artefact no real platform has)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        fake.setExecutor(Executors.newFixedThreadPool(64));
        byte[] answer = "{\"status\":\"COMPLETE\",\"results\":[]}".getBytes(StandardCharsets.UTF_8);
        fake.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                Thread.sleep(FAKE_LATENCY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!body.startsWith("{\"inputs\"") || !"Bearer bench".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            Matcher m = EMAIL.matcher(body);
            List<String> emails = new ArrayList<>();
            while (m.find()) {
                emails.add(m.group(1));
            }
            if (emails.size() > 100) {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            long now = System.nanoTime();
            for (String email : emails) {
                int dot = email.indexOf('.');
                if (dot > 0 && dot < email.indexOf('@')) {
                    String tag = email.substring(0, dot);
                    if (seenByTag.computeIfAbsent(tag, k -> ConcurrentHashMap.newKeySet()).add(email)) {
                        arrivalsByTag.computeIfAbsent(tag, k -> Collections.synchronizedList(new ArrayList<>())).add(now);
                    }
                } else {
                    appliedAt.putIfAbsent(email, now);
                }
            }
            calls.incrementAndGet();
            inputs.addAndGet(emails.size());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        fake.start();
        return fake;
    }

    /** CPU seconds so far of the bus, the broker, the bare process and this one. */
    static double[] cpu() throws IOException {
        return new double[] {bus.cpuSeconds(), broker.cpuSeconds(), bare.cpuSeconds(), ownCpuSeconds()};
    }

    /**
     * Before a phase: until the bus, the broker and the bare route together use under a tenth of a core for a second
     * (the previous phase's commits, bookkeeping and JIT compilations done), at most 30 s.
     */
    static void settle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double[] before = cpu();
        do {
            Thread.sleep(1000);
            double[] now = cpu();
            double[] d = minus(now, before);
            if (d[0] + d[1] + d[2] < 0.1) {
                return;
            }
            before = now;
        } while (System.nanoTime() < deadline);
        System.out.println("bench: the processes did not go quiet within 30 s before the next phase");
    }

    static void checkAll() throws IOException {
        for (Proc p : List.of(broker, bus, bare)) {
            p.check();
        }
    }

    /** One wrk run: its figures as printed by bench/mailchimp.lua, and its CPU (bash's times). */
    record Wrk(long requests, long non2xx, double seconds, double p50, double p90, double p99, long connectErrors,
               long readErrors, long writeErrors, long timeouts, double cpuSeconds, long late, double lagMaxMs) {
        long accepted() {
            return requests - non2xx;
        }

        String summary() {
            return String.format("%d requests in %.1f s, %d not 2xx, socket errors connect/read/write/timeout "
                            + "%d/%d/%d/%d, 2xx p50/p90/p99 %.1f/%.1f/%.1f ms, wrk CPU %.2f s", requests, seconds, non2xx,
                    connectErrors, readErrors, writeErrors, timeouts, p50, p90, p99, cpuSeconds);
        }
    }

    /** late= and lag_max_us= only from bench/mailchimp-paced.lua (0 from bench/mailchimp.lua) */
    static final Pattern WRK_LINE = Pattern.compile("bench: requests=(\\d+) non2xx=(\\d+) duration_us=(\\d+) p50_us=(\\d+) "
            + "p90_us=(\\d+) p99_us=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) timeout=(\\d+)"
            + "(?: late=(\\d+) lag_max_us=(\\d+))?");
    static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** wrk as fast as it goes: bench/mailchimp.lua, BENCH_THREADS × BENCH_CONNECTIONS. */
    static Wrk wrk(Path repo, String url, Path form, String tag, int seconds) throws Exception {
        return wrk(repo, "bench/mailchimp.lua", THREADS, CONNECTIONS, url, tag, seconds, form.toString(), tag);
    }

    /** One wrk run of the given script, its arguments after "--". */
    static Wrk wrk(Path repo, String script, int threads, int connections, String url, String tag, int seconds,
                   String... scriptArgs) throws Exception {
        checkAll();
        Path out = bus.log().resolveSibling("wrk-" + tag + ".log");
        // bash's times prints the CPU of its children (wrk) once it exited
        List<String> command = new ArrayList<>(List.of("bash", "-c", "wrk \"$@\"; status=$?; times; exit $status", "wrk",
                "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", repo.resolve(script).toString(), url, "--"));
        command.addAll(List.of(scriptArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Process process = builder.start();
        Proc proc = new Proc("wrk", process, out);
        started.add(proc);
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not finish; its output:\n" + tail(out, 40));
        }
        started.remove(proc);
        String text = Files.readString(out);
        checkAll();
        Matcher m = WRK_LINE.matcher(text);
        List<String> lines = text.lines().toList();
        Matcher t = lines.size() < 1 ? null : TIMES.matcher(lines.get(lines.size() - 1));
        if (process.exitValue() != 0 || !m.find() || t == null || !t.find()) {
            throw new IllegalStateException("wrk failed (exit " + process.exitValue() + "): " + text);
        }
        double wrkCpu = Integer.parseInt(t.group(1)) * 60 + Double.parseDouble(t.group(2))
                + Integer.parseInt(t.group(3)) * 60 + Double.parseDouble(t.group(4));
        Wrk w = new Wrk(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)) / 1e6,
                Long.parseLong(m.group(4)) / 1e3, Long.parseLong(m.group(5)) / 1e3, Long.parseLong(m.group(6)) / 1e3,
                Long.parseLong(m.group(7)), Long.parseLong(m.group(8)), Long.parseLong(m.group(9)),
                Long.parseLong(m.group(10)), wrkCpu, m.group(11) == null ? 0 : Long.parseLong(m.group(11)),
                m.group(12) == null ? 0 : Long.parseLong(m.group(12)) / 1e3);
        if (w.accepted() == 0) {
            throw new IllegalStateException("no webhook accepted by " + url + ": " + w.summary() + "; see the logs in "
                    + out.getParent());
        }
        if (w.non2xx() > 0) {
            System.out.println("wrk " + tag + ": " + w.non2xx() + " answers not 2xx (logs in " + out.getParent() + ")");
        }
        return w;
    }

    /** wrk on the bare Camel route. */
    static Result bareMax(Path repo, String url, Path form, String tag) throws Exception {
        double[] before = cpu();
        Wrk w = wrk(repo, url, form, tag, SECONDS);
        double[] d = minus(cpu(), before);
        long ok = Math.max(1, w.accepted());
        Result r = new Result("bare", "bare Camel (wrk)", w.requests(), w.accepted() / w.seconds(), Double.NaN, Double.NaN,
                w.p50(), w.p99(), Double.NaN, Double.NaN, d[2] * 1000 / ok, d[1] * 1000 / ok, w.cpuSeconds() * 1000 / ok,
                String.format("%s; CPU s: bare %.2f, broker %.2f, bus (idle) %.2f, bench %.2f", w.summary(), d[2], d[1],
                        d[0], d[3]));
        System.out.printf("bare     wrk: accepted %8.0f/s, %s%n", r.acceptedPerSec(), r.details());
        return r;
    }

    /**
     * wrk on the bus's Mailchimp webhook, then the tail until the fake HubSpot has as many of this tag's e-mails as
     * were accepted: accepted-and-delivered/s = accepted ÷ (wrk's start → that many delivered).
     */
    static Result busMax(Path repo, String url, Path form, String tag, int seconds) throws Exception {
        double[] before = cpu();
        long start = System.nanoTime();
        Wrk w = wrk(repo, url, form, tag, seconds);
        long accepted = w.accepted();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (arrivals(tag).size() < accepted && System.nanoTime() < deadline) {
            checkAll();
            Thread.sleep(20);
        }
        double[] d = minus(cpu(), before);
        List<Long> arrived = new ArrayList<>(arrivals(tag));
        Collections.sort(arrived);
        // webhooks wrk sent but did not count (in flight at its end, timed out) may arrive too: the accepted-th
        // arrival is when as many as were accepted had reached HubSpot
        long delivered = Math.min(arrived.size(), accepted);
        double accDelivered = delivered < accepted || delivered == 0 ? Double.NaN
                : accepted / ((arrived.get((int) delivered - 1) - start) / 1e9);
        double deliveredPerSec = delivered < 2 ? Double.NaN
                : (delivered - 1) / ((arrived.get((int) delivered - 1) - arrived.get(0)) / 1e9);
        long ok = Math.max(1, accepted);
        Result r = new Result("max", "bus max (wrk)", w.requests(), accepted / w.seconds(), accDelivered, deliveredPerSec,
                w.p50(), w.p99(), Double.NaN, Double.NaN, d[0] * 1000 / ok, d[1] * 1000 / ok, w.cpuSeconds() * 1000 / ok,
                String.format("%s; %d of %d accepted delivered; CPU s (wrk + delivery tail): bus %.2f, broker %.2f, "
                        + "bare (idle) %.2f, bench (fake HubSpot) %.2f", w.summary(), delivered, accepted, d[0], d[1], d[2], d[3]));
        if (delivered < accepted) {
            System.out.println("not delivered within 5 minutes: " + (accepted - delivered) + " of " + accepted);
        }
        System.out.printf("max      wrk: accepted %8.0f/s, accepted-and-delivered %8.0f/s, %s%n", r.acceptedPerSec(),
                r.acceptedDeliveredPerSec(), r.details());
        // let what wrk left in flight arrive before the next phase measures
        int last = -1;
        for (int i = 0; i < 100 && arrivals(tag).size() != last; i++) {
            last = arrivals(tag).size();
            Thread.sleep(200);
        }
        return r;
    }

    static List<Long> arrivals(String tag) {
        return arrivalsByTag.getOrDefault(tag, List.of());
    }

    /** A fixed-rate phase with BENCH_GENERATOR's generator: paced wrk (default) or this process. */
    static Result fixedRate(Path repo, String url, Path form, String formText, int rate, int seconds, String phase,
                            String tag) throws Exception {
        if (GENERATOR.equals("java")) {
            return drive(url, formText, rate, seconds, phase);
        }
        // the warm-up meets a cold bus (answers of a second and more): BENCH_CONNECTIONS keep it near its rate
        return paced(repo, url, form, rate, seconds, phase, tag,
                phase.equals("warm-up") ? Math.max(CONNECTIONS, pacedConnections(rate)) : pacedConnections(rate));
    }

    /**
     * wrk's connections at a fixed rate: one per 20 ms of the schedule (20 at 1,000/s), so a connection's turn comes
     * round every 20 ms, the webhook→2xx target. As long as the bus answers within the target, a free connection is
     * there at every due time; past it, late sends are counted. BENCH_PACED_CONNECTIONS overrides.
     */
    static int pacedConnections(int rate) {
        return env("BENCH_PACED_CONNECTIONS", Math.max(1, (int) Math.ceil(rate * 0.020)));
    }

    /**
     * A fixed rate with wrk paced by bench/mailchimp-paced.lua (one thread), webhook→2xx from wrk's latencies, and
     * webhook→HubSpot-accepted from the bus's own histogram marketing_bus_delivery_latency_seconds
     * (destination="hubspot"), scraped before and after (once the fake has every accepted e-mail of the phase).
     */
    static Result paced(Path repo, String url, Path form, int rate, int seconds, String phase, String tag, int connections)
            throws Exception {
        Map<Double, Double> histBefore = latencyHistogram();
        double[] before = cpu();
        int callsBefore = calls.get();
        int inputsBefore = inputs.get();
        long start = System.nanoTime();
        Wrk w = wrk(repo, "bench/mailchimp-paced.lua", 1, connections, url, tag, seconds, form.toString(), tag,
                String.valueOf(rate), "1");
        long accepted = w.accepted();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (arrivals(tag).size() < accepted && System.nanoTime() < deadline) {
            checkAll();
            Thread.sleep(20);
        }
        // what wrk left in flight at its end may arrive too: until no more do (the histogram counts them)
        int last = -1;
        for (int i = 0; i < 100 && arrivals(tag).size() != last; i++) {
            last = arrivals(tag).size();
            Thread.sleep(200);
        }
        List<Long> arrived = new ArrayList<>(arrivals(tag));
        Map<Double, Double> hist = histogramSince(histBefore, arrived.size());
        double[] d = minus(cpu(), before);
        Collections.sort(arrived);
        double[] e2e = {quantile(hist, 0.50), quantile(hist, 0.95), quantile(hist, 0.99)};
        long counted = Math.round(hist.getOrDefault(Double.POSITIVE_INFINITY, 0.0));
        if (counted == 0) {
            System.out.println("bench: no marketing_bus_delivery_latency_seconds{destination=\"hubspot\"} counts at "
                    + metricsUrl + " over the phase: e2e not measured");
        }
        double achieved = w.requests() / w.seconds();
        long ok = Math.max(1, accepted);
        int phaseCalls = calls.get() - callsBefore;
        Result r = new Result(phase, "bus at " + rate + "/s", w.requests(), accepted / w.seconds(), Double.NaN,
                arrived.isEmpty() ? Double.NaN : arrived.size() / ((arrived.get(arrived.size() - 1) - start) / 1e9),
                w.p50(), w.p99(), e2e[0], e2e[2], d[0] * 1000 / ok, d[1] * 1000 / ok, w.cpuSeconds() * 1000 / ok,
                String.format("paced wrk -t1 -c%d: %s; rate %.1f/s (%+.1f %% of %d/s), %d sent late (by up to %.1f ms); "
                                + "%d of %d accepted at the fake; e2e (bus histogram, %d events) p50/p95/p99 %s ms; %d HubSpot "
                                + "calls (%.1f inputs each); CPU s: bus %.2f, broker %.2f, bare (idle) %.2f, bench (fake) %.2f",
                        connections, w.summary(), achieved, 100 * (achieved - rate) / rate, rate, w.late(), w.lagMaxMs(),
                        arrived.size(), accepted, counted, fmt(e2e), phaseCalls,
                        (inputs.get() - inputsBefore) / (double) Math.max(1, phaseCalls), d[0], d[1], d[2], d[3]));
        if (arrived.size() < accepted) {
            System.out.println("not delivered within 5 minutes: " + (accepted - arrived.size()) + " of " + accepted);
        }
        System.out.printf("%-8s %5d/s: accepted %8.0f/s, delivered %8.0f/s, %s%n", phase, rate, r.acceptedPerSec(),
                r.deliveredPerSec(), r.details());
        return r;
    }

    static final String LATENCY_BUCKET = "marketing_bus_delivery_latency_seconds_bucket{";

    /**
     * The bus's marketing_bus_delivery_latency_seconds{destination="hubspot"} as cumulative counts by upper bound
     * (seconds; +Inf last), from /observe/metrics on its management port (no credentials there: it listens on
     * loopback only). Empty when the bus does not publish it.
     */
    static Map<Double, Double> latencyHistogram() throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        for (String line : text.split("\n")) {
            if (line.startsWith(LATENCY_BUCKET) && line.contains("destination=\"hubspot\"")) {
                Matcher m = le.matcher(line);
                if (m.find()) {
                    double bound = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                    String value = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0];
                    buckets.merge(bound, Double.parseDouble(value), Double::sum);
                }
            }
        }
        return buckets;
    }

    /**
     * The histogram's counts since before (bucket by bucket), scraped until it has at least the expected events
     * (the bus records an event's latency once HubSpot's answer reached it, a moment after the fake noted it), at most
     * 5 s.
     */
    static Map<Double, Double> histogramSince(Map<Double, Double> before, long expected) throws Exception {
        Map<Double, Double> delta = new java.util.TreeMap<>();
        for (int i = 0; i < 50; i++) {
            delta.clear();
            latencyHistogram().forEach((bound, count) -> delta.put(bound, count - before.getOrDefault(bound, 0.0)));
            if (delta.getOrDefault(Double.POSITIVE_INFINITY, 0.0) >= expected) {
                break;
            }
            Thread.sleep(100);
        }
        return delta;
    }

    /**
     * The q-quantile of cumulative bucket counts, in ms: linear interpolation inside the bucket it falls in (from
     * the bucket below's bound, 0 for the first); in the +Inf bucket, the highest finite bound. NaN if empty.
     */
    static double quantile(Map<Double, Double> cumulative, double q) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank && b.getValue() > lowerCount) {
                if (b.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                return (lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / (b.getValue() - lowerCount)) * 1000;
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return lowerBound * 1000;
    }

    /** Sends at a fixed rate for the given seconds (this process as generator), waits for HubSpot to have them. */
    static Result drive(String url, String form, int rate, int seconds, String phase) throws Exception {
        checkAll();
        int count = rate * seconds;
        List<Long> ack = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(512);
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger ok = new AtomicInteger();
        Map<Double, Double> histBefore = latencyHistogram();
        double[] before = cpu();
        int callsBefore = calls.get();
        int inputsBefore = inputs.get();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            String email = "b" + seq.getAndIncrement() + "@example.com";
            String body = form.replace("lucia.martin%40example.com", email.replace("@", "%40"))
                    .replace("data%5Bid%5D=11bdbce20ae820532b1a7dfbbcae11a7", "data%5Bid%5D=" + email.hashCode());
            long sent = System.nanoTime();
            sentAt.put(email, sent);
            HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 200) {
                            ok.incrementAndGet();
                            accepted.add(email);
                            ack.add(System.nanoTime() - sent);
                        } else {
                            failures.computeIfAbsent(e != null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                                    : "HTTP " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        }
                        inFlight.release();
                        done.countDown();
                    });
        }
        done.await(5, TimeUnit.MINUTES);
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            System.out.println("webhooks not accepted: " + failures);
            failures.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        List<String> emails = new ArrayList<>(accepted);
        while (emails.stream().anyMatch(e -> !appliedAt.containsKey(e)) && System.nanoTime() < deadline) {
            checkAll();
            Thread.sleep(50);
        }
        double[] d = minus(cpu(), before);
        // the bus's own e2e, as the wrk generator reads it, next to the fake's per-e-mail times (cross-check)
        Map<Double, Double> hist = histogramSince(histBefore, emails.size());
        double[] histPct = {quantile(hist, 0.50), quantile(hist, 0.95), quantile(hist, 0.99)};
        long lastApplied = emails.stream().mapToLong(e -> appliedAt.getOrDefault(e, start)).max().orElse(start);
        List<Long> e2e = new ArrayList<>();
        for (String e : emails) {
            if (appliedAt.containsKey(e)) {
                e2e.add(appliedAt.get(e) - sentAt.get(e));
            }
        }
        double[] ackPct = percentiles(ack);
        double[] e2ePct = percentiles(e2e);
        int phaseCalls = calls.get() - callsBefore;
        Result r = new Result(phase, "bus at " + rate + "/s", count, ok.get() / sendSeconds, Double.NaN,
                e2e.size() / ((lastApplied - start) / 1e9), ackPct[0], ackPct[2], e2ePct[0], e2ePct[2],
                d[0] * 1000 / count, d[1] * 1000 / count, d[3] * 1000 / count,
                String.format("Java generator: %d sent, %d accepted, %d delivered; 2xx p50/p95/p99 %s ms, e2e (send → the fake's "
                                + "arrival) p50/p95/p99 %s ms, the bus's histogram (%d events) %s ms; %d HubSpot "
                                + "calls (%.1f inputs each); CPU s: bus %.2f, broker %.2f, bare (idle) %.2f, bench (generator "
                                + "and fake) %.2f", count, ok.get(), e2e.size(), fmt(ackPct), fmt(e2ePct),
                        Math.round(hist.getOrDefault(Double.POSITIVE_INFINITY, 0.0)), fmt(histPct), phaseCalls,
                        (inputs.get() - inputsBefore) / (double) Math.max(1, phaseCalls), d[0], d[1], d[2], d[3]));
        System.out.printf("%-8s %5d/s: accepted %8.0f/s, delivered %8.0f/s, %s%n", phase, rate, r.acceptedPerSec(),
                r.deliveredPerSec(), r.details());
        return r;
    }

    static ConsumerRecordTemplate template;

    /** One event the ingress wrote to marketing.subscriptions: the drain and the raw baseline send copies of it. */
    record ConsumerRecordTemplate(String email, String id, String value, org.apache.kafka.common.header.Headers headers) {
    }

    static ConsumerRecordTemplate template(String bootstrap) {
        if (template != null) {
            return template;
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            TopicPartition tp = new TopicPartition("marketing.subscriptions", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            for (int i = 0; i < 50; i++) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    Matcher email = Pattern.compile("\"email\":\"([^\"]+)\"").matcher(value);
                    Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(value);
                    if (email.find() && id.find()) {
                        template = new ConsumerRecordTemplate(email.group(1), id.group(1), value, record.headers());
                        return template;
                    }
                }
            }
        }
        throw new IllegalStateException("no event on marketing.subscriptions to copy");
    }

    static List<ProducerRecord<byte[], byte[]>> copies(String bootstrap, String topic, int n, String prefix) {
        ConsumerRecordTemplate t = template(bootstrap);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String email = prefix + seq.getAndIncrement() + "@example.com";
            String value = t.value().replace(t.email(), email).replace(t.id(), "bench-" + email);
            records.add(new ProducerRecord<>(topic, null, io.marketingbus.event.ContactKey.of(email).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8), t.headers()));
        }
        return records;
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Delivery capacity: a backlog of n events put straight on the flow topic, timed until HubSpot has them all. */
    static Result drain(String bootstrap, int n) throws Exception {
        checkAll();
        List<ProducerRecord<byte[], byte[]>> records = copies(bootstrap, "marketing.subscriptions", n, "d");
        List<String> emails = new ArrayList<>(n);
        for (var r : records) {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"email\":\"([^\"]+)\"").matcher(v);
            m.find();
            emails.add(m.group(1));
        }
        int callsBefore = calls.get();
        int inputsBefore = inputs.get();
        double[] before = cpu();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                sentAt.put(emails.get(i), System.nanoTime());
                producer.send(records.get(i));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (emails.stream().anyMatch(e -> !appliedAt.containsKey(e)) && System.nanoTime() < deadline) {
            checkAll();
            Thread.sleep(20);
        }
        double[] d = minus(cpu(), before);
        long last = emails.stream().mapToLong(e -> appliedAt.getOrDefault(e, start)).max().orElse(start);
        long delivered = emails.stream().filter(appliedAt::containsKey).count();
        List<Long> e2e = new ArrayList<>();
        for (String e : emails) {
            if (appliedAt.containsKey(e)) {
                e2e.add(appliedAt.get(e) - sentAt.get(e));
            }
        }
        double[] e2ePct = percentiles(e2e);
        int phaseCalls = calls.get() - callsBefore;
        Result r = new Result("drain", "drain " + n, n, Double.NaN, Double.NaN, delivered / ((last - start) / 1e9),
                Double.NaN, Double.NaN, e2ePct[0], e2ePct[2], d[0] * 1000 / n, d[1] * 1000 / n, d[3] * 1000 / n,
                String.format("%d of %d delivered, %d HubSpot calls (%.1f inputs each); produce→HubSpot p50/p95/p99 %s ms; "
                                + "CPU s: bus %.2f, broker %.2f, bare (idle) %.2f, bench (producer and fake) %.2f", delivered, n,
                        phaseCalls, (inputs.get() - inputsBefore) / (double) Math.max(1, phaseCalls), fmt(e2ePct), d[0],
                        d[1], d[2], d[3]));
        System.out.printf("drain    %d events: delivered %8.0f/s, %s%n", n, r.deliveredPerSec(), r.details());
        return r;
    }

    /** The same records through the same broker, with a plain producer and consumer: the ceiling to compare with. */
    static Result rawKafka(String bootstrap, int n, int run, int partitions) throws Exception {
        checkAll();
        String topic = "bench.raw." + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<ProducerRecord<byte[], byte[]>> records = copies(bootstrap, topic, n, "r");
        double[] before = cpu();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (var r : records) {
                producer.send(r);
            }
            producer.flush();
        }
        double produced = n / ((System.nanoTime() - start) / 1e9);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            // timed from the first record, as the drain is timed from its first produce (no connection set-up)
            start = 0;
            while (read < n) {
                int got = consumer.poll(Duration.ofMillis(200)).count();
                if (got > 0 && start == 0) {
                    start = System.nanoTime();
                }
                read += got;
            }
        }
        double consumed = read / ((System.nanoTime() - start) / 1e9);
        double[] d = minus(cpu(), before);
        Result r = new Result("raw", "raw Kafka", n, produced, Double.NaN, consumed, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, d[1] * 1000 / n, d[3] * 1000 / n,
                String.format("%d records of %d B produced %.0f/s, consumed %.0f/s; CPU s (produce + consume): broker %.2f, "
                        + "bench (clients) %.2f, bus (idle) %.2f, bare (idle) %.2f", n, records.get(0).value().length,
                        produced, consumed, d[1], d[3], d[0], d[2]));
        System.out.printf("raw      %s%n", r.details());
        return r;
    }

    static List<Result> medians(List<List<Result>> runs) {
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < runs.get(0).size(); i++) {
            final int k = i;
            List<Result> same = runs.stream().map(r -> r.get(k)).toList();
            Result first = same.get(0);
            out.add(new Result(first.phase(), first.label(), first.events(), med(same, Result::acceptedPerSec),
                    med(same, Result::acceptedDeliveredPerSec), med(same, Result::deliveredPerSec), med(same, Result::ack50),
                    med(same, Result::ack99), med(same, Result::e2e50), med(same, Result::e2e99), med(same, Result::cpuMs),
                    med(same, Result::brokerCpuMs), med(same, Result::generatorCpuMs), ""));
        }
        return out;
    }

    static double med(List<Result> results, ToDoubleFunction<Result> f) {
        double[] v = results.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    static Result find(List<Result> results, String label) {
        return results.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
    }

    static void write(Path repo, List<List<Result>> perRun, List<Result> results, Map<String, Long> rss, List<Integer> rates,
                      String startLoad, String endLoad) throws Exception {
        Result bareRow = find(results, "bare Camel (wrk)");
        Result max = find(results, "bus max (wrk)");
        Result at1000 = find(results, "bus at 1000/s");
        Result drain = results.stream().filter(r -> r.phase().equals("drain")).findFirst().orElseThrow();
        Result raw = find(results, "raw Kafka");
        String commit = git(repo, "rev-parse", "--short", "HEAD");
        boolean dirty = !git(repo, "status", "--porcelain", "--untracked-files=no").isBlank();
        Instant now = Instant.now();
        StringBuilder md = new StringBuilder();
        md.append("# marketing-bus benchmark, ").append(now).append("\n\n")
                .append("Commit `").append(commit).append(dirty ? "` (with uncommitted changes)" : "`").append("; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpuModel()).append("), ")
                .append("load average at start `").append(startLoad).append("`, at end `").append(endLoad).append("`.\n\n")
                .append("Flow 1 (Mailchimp webhook → Kafka → HubSpot batch upsert): the real jar (`-Xmx1g ")
                .append(System.getenv().getOrDefault("BENCH_BUS_OPTS", "")).append("`, default profile) on a broker in its ")
                .append("own process (`-Xmx1g`, the bus's embedded broker settings), HubSpot served by a fake with ")
                .append(FAKE_LATENCY).append(" ms per call; baseline: a bare Camel route platform-http → kafka → 200 with the ")
                .append("bus's producer settings on the same broker. wrk -t").append(THREADS).append(" -c").append(CONNECTIONS)
                .append(" for ").append(SECONDS).append(" s per saturated phase; the fixed rates ")
                .append(GENERATOR.equals("java") ? "by the bench's Java generator (BENCH_GENERATOR=java), which times each "
                        + "e-mail from its send to its arrival at the fake. "
                        : "by wrk paced to the rate (bench/mailchimp-paced.lua, one thread, a connection per 20 ms of the "
                        + "schedule), 2xx = wrk's latencies (from each request's send); e2e = the bus's own histogram "
                        + "`marketing_bus_delivery_latency_seconds{destination=\"hubspot\"}` (bus acceptance → HubSpot's "
                        + "answer), bucket deltas over the phase, p50/p99 by linear interpolation inside the bucket. ")
                .append("All processes share the machine's cores. Medians of ").append(RUNS).append(" rounds after a JIT ")
                .append("warm-up. Latencies in ms; e2e = webhook (drain: produce) → HubSpot accepted, fake latency included. ")
                .append("CPU in ms per webhook (drain, raw: per event); *bus CPU* is the process under test's: the bare ")
                .append("Camel process in the bare row, none in the raw row; *generator*: wrk")
                .append(GENERATOR.equals("java") ? ", this Java process (generator and fake HubSpot) at fixed rates"
                        : " (paced at fixed rates)").append(", this Java process (producer and fake HubSpot) for the drain, ")
                .append("or the plain clients for raw Kafka.\n\n")
                .append("| phase | accepted/s | accepted-and-delivered/s | delivered/s | 2xx p50 | 2xx p99 | e2e p50 | e2e p99 | ")
                .append("bus CPU ms/webhook | broker CPU ms/webhook | generator CPU ms/webhook |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format("| %s | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.3f | %.3f | %.3f |%n", r.label(),
                    r.acceptedPerSec(), r.acceptedDeliveredPerSec(), r.deliveredPerSec(), r.ack50(), r.ack99(), r.e2e50(),
                    r.e2e99(), r.cpuMs(), r.brokerCpuMs(), r.generatorCpuMs()).replace("NaN", "–"));
        }
        md.append("\nRaw Kafka: accepted/s is produced/s, delivered/s consumed/s, broker CPU per record produced and ")
                .append("consumed.\n\n**Ratios**\n\n");
        md.append(String.format("- bus accepted-and-delivered ÷ bare Camel accepted: %s (target ≥ 50 %%)%n",
                pct(max.acceptedDeliveredPerSec(), bareRow.acceptedPerSec())));
        md.append(String.format("- bus accepted ÷ bare Camel accepted: %s%n", pct(max.acceptedPerSec(), bareRow.acceptedPerSec())));
        md.append(String.format("- bus CPU per webhook ÷ bare Camel CPU per webhook: %s%n", ratio(max.cpuMs(), bareRow.cpuMs())));
        md.append(String.format("- bus accepted ÷ raw Kafka produced: %s%n", pct(max.acceptedPerSec(), raw.acceptedPerSec())));
        md.append(String.format("- bare Camel accepted ÷ raw Kafka produced: %s%n", pct(bareRow.acceptedPerSec(), raw.acceptedPerSec())));
        md.append(String.format("- drain delivered ÷ raw Kafka consumed: %s%n", pct(drain.deliveredPerSec(), raw.deliveredPerSec())));
        md.append("\n**Targets (issue 19)**\n\n");
        md.append(target("accepted-and-delivered ≥ 50 % of the bare route's accepted/s",
                max.acceptedDeliveredPerSec() >= 0.5 * bareRow.acceptedPerSec(), pct(max.acceptedDeliveredPerSec(), bareRow.acceptedPerSec())));
        md.append(target("bus CPU per webhook (ingress + delivery, broker excluded) ≤ 0.3 ms", max.cpuMs() <= 0.3,
                String.format("%.3f ms", max.cpuMs())));
        md.append(target("delivery drain of a " + drain.events() + "-event backlog ≥ 30,000 events/s",
                drain.deliveredPerSec() >= 30000, String.format("%.0f/s", drain.deliveredPerSec())));
        md.append(at1000 == null ? "- webhook→2xx p99 < 20 ms at 1,000/s: not measured (1000 not in BENCH_RATES)\n"
                : target("webhook→2xx p99 < 20 ms at 1,000/s", at1000.ack99() < 20, String.format("%.1f ms", at1000.ack99())));
        md.append(at1000 == null || Double.isNaN(at1000.e2e99())
                ? "- webhook→HubSpot p99 < 100 ms + the fake's latency at 1,000/s: not measured\n"
                : target("webhook→HubSpot p99 < 100 ms + the fake's " + FAKE_LATENCY + " ms at 1,000/s",
                        at1000.e2e99() < 100 + FAKE_LATENCY, String.format("%.1f ms", at1000.e2e99())));
        if (drain.events() != 100000) {
            md.append("\n(The drain target is for 100,000 events; this run drained ").append(drain.events()).append(".)\n");
        }
        md.append(String.format("%nPeak RSS: bus %.0f MB, broker %.0f MB, bare Camel %.0f MB.%n", rss.get("bus") / 1024.0,
                rss.get("broker") / 1024.0, rss.get("bare") / 1024.0));
        md.append("\n<details><summary>Each round</summary>\n\n");
        for (int i = 0; i < perRun.size(); i++) {
            md.append("Round ").append(i + 1).append(":\n\n");
            for (Result r : perRun.get(i)) {
                md.append(String.format("- %s: accepted %.0f/s, accepted-and-delivered %.0f/s, delivered %.0f/s; %s%n",
                        r.label(), r.acceptedPerSec(), r.acceptedDeliveredPerSec(), r.deliveredPerSec(), r.details())
                        .replace("NaN", "–"));
            }
            md.append("\n");
        }
        md.append("</details>\n");
        Path dir = repo.resolve("bench/results");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.md"), md.toString());
        Files.writeString(dir.resolve(LocalDate.ofInstant(now, ZoneOffset.UTC) + "-" + commit + ".md"), md.toString());
        plot(dir.resolve("latency-vs-throughput.png"), results.stream().filter(r -> r.phase().equals("fixed")
                || r.phase().equals("max")).sorted(java.util.Comparator.comparingDouble(Result::acceptedPerSec)).toList(), bareRow);
        System.out.println();
        System.out.println(md);
        System.out.println("bench: written to " + dir.resolve("latest.md") + " and " + dir.resolve(
                LocalDate.ofInstant(now, ZoneOffset.UTC) + "-" + commit + ".md"));
    }

    static String pct(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : String.format("%.1f %%", 100 * a / b);
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : String.format("%.2f×", a / b);
    }

    static String target(String what, boolean met, String measured) {
        return "- " + what + ": **" + (met ? "met" : "not met") + "** (" + measured.replace("NaN", "–") + ")\n";
    }

    static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "CPU model unknown";
    }

    static String git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 ? out : "unknown";
    }

    /**
     * Latency against throughput: p50/p99 of webhook→2xx and webhook→HubSpot per bus phase (fixed rates, max), and
     * the bare route's 2xx p50/p99 at its maximum (squares), as a PNG.
     */
    static void plot(Path file, List<Result> results, Result bareRow) throws IOException {
        int w = 800;
        int h = 500;
        var image = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        List<Result> all = new ArrayList<>(results);
        all.add(bareRow);
        double maxX = all.stream().mapToDouble(Result::acceptedPerSec).filter(v -> !Double.isNaN(v)).max().orElse(1) * 1.1;
        double maxY = all.stream().flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.ack99(), r.e2e99()))
                .filter(v -> !Double.isNaN(v)).max().orElse(1) * 1.1;
        int left = 70;
        int bottom = h - 50;
        g.setColor(java.awt.Color.BLACK);
        g.drawLine(left, bottom, w - 20, bottom);
        g.drawLine(left, bottom, left, 30);
        g.drawString("accepted webhooks/s", w / 2 - 60, h - 15);
        g.drawString("latency ms", 5, 20);
        for (int i = 0; i <= 4; i++) {
            g.drawString(String.format("%.0f", maxX * i / 4), left + (w - 20 - left) * i / 4 - 10, bottom + 18);
            g.drawString(String.format("%.0f", maxY * i / 4), 10, bottom - (bottom - 30) * i / 4 + 5);
        }
        String[] names = {"bus 2xx p50", "bus 2xx p99", "bus e2e p50", "bus e2e p99"};
        java.awt.Color[] colors = {new java.awt.Color(80, 150, 220), new java.awt.Color(20, 60, 160),
                new java.awt.Color(240, 150, 60), new java.awt.Color(200, 40, 40)};
        for (int s = 0; s < 4; s++) {
            g.setColor(colors[s]);
            g.setStroke(new java.awt.BasicStroke(2));
            int px = -1;
            int py = -1;
            for (Result r : results) {
                double y = s == 0 ? r.ack50() : s == 1 ? r.ack99() : s == 2 ? r.e2e50() : r.e2e99();
                if (Double.isNaN(y)) {
                    continue;
                }
                int x = left + (int) ((w - 20 - left) * r.acceptedPerSec() / maxX);
                int yy = bottom - (int) ((bottom - 30) * y / maxY);
                g.fillOval(x - 4, yy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, yy);
                }
                px = x;
                py = yy;
            }
            g.drawString(names[s], w - 160, 40 + 18 * s);
        }
        g.setColor(new java.awt.Color(40, 140, 60));
        int bx = left + (int) ((w - 20 - left) * bareRow.acceptedPerSec() / maxX);
        for (double y : new double[] {bareRow.ack50(), bareRow.ack99()}) {
            int yy = bottom - (int) ((bottom - 30) * y / maxY);
            g.fillRect(bx - 5, yy - 5, 10, 10);
        }
        g.drawString("bare Camel 2xx p50, p99 (squares)", w - 230, 40 + 18 * 4);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", file.toFile());
    }

    static double[] percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99)};
    }

    static double at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    static String fmt(double[] p) {
        return String.format("%.1f/%.1f/%.1f", p[0], p[1], p[2]);
    }

    static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** CPU of this process: the Java generator, the fake HubSpot, the drain's producer and the raw clients. */
    static double ownCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** utime + stime of a process, from /proc (clock ticks of 10 ms). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Starts java with the given options and arguments in its own directory under work, output to name.log. */
    static Proc start(String name, Path work, List<String> jvmOptions, List<String> args, Map<String, String> env)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path log = work.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Proc proc = new Proc(name, builder.start(), log);
        started.add(proc);
        return proc;
    }

    /** Stops what the bench started, the bus and the bare route before the broker they use; once. */
    static void stopAll() {
        List<Proc> procs;
        synchronized (started) {
            procs = new ArrayList<>(started);
            started.clear();
        }
        procs.sort((a, b) -> Boolean.compare(a.name().equals("broker"), b.name().equals("broker")));
        for (Proc p : procs) {
            if (!p.name().equals("broker")) {
                // wrk runs under bash: its descendants first
                p.process().descendants().forEach(ProcessHandle::destroy);
                p.process().destroy();
            }
        }
        for (Proc p : procs) {
            try {
                if (p.name().equals("broker")) {
                    p.process().destroy();
                }
                if (!p.process().waitFor(60, TimeUnit.SECONDS)) {
                    p.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.process().destroyForcibly();
            }
        }
    }

    static void waitForLine(Proc proc, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            proc.check();
            if (Files.exists(proc.log()) && Files.readString(proc.log()).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(proc.name() + " not ready after " + seconds + " s; the end of its log:\n"
                + tail(proc.log(), 40));
    }

    /** Until a GET answers (200 if required: the bus's Mailchimp URL validator; any answer for the bare route). */
    static void waitHttp(String url, Proc proc, boolean ok200) throws Exception {
        for (int i = 0; i < 1800; i++) {
            proc.check();
            try {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (!ok200 || status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(proc.name() + " did not start; the end of its log:\n" + tail(proc.log(), 40));
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    static List<String> split(String options) {
        List<String> out = new ArrayList<>();
        for (String opt : options.trim().split("\\s+")) {
            if (!opt.isBlank()) {
                out.add(opt);
            }
        }
        return out;
    }

    static int env(String name, int otherwise) {
        return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(otherwise)).trim());
    }
}
