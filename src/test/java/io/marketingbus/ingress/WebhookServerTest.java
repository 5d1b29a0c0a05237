package io.marketingbus.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook port as a sender sees it while the bus starts and stops, and when the sender is slow (issue 11). */
class WebhookServerTest {

    static final String MAILCHIMP = "/webhooks/mailchimp/sandbox";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    static String subscribe(int i) {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd+HH'%3A'mm'%3A'ss"));
        return "type=subscribe&fired_at=" + now + "&data%5Bemail%5D=start-" + i + "%40example.com&data%5Blist_id%5D=a6b5da1054";
    }

    @Test
    void aWebhookSentWhileTheBusStartsOrStopsIsNeverAnswered404() throws Exception {
        int port = RunningBus.freePort();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean accepted = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                i++;
                try {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + MAILCHIMP))
                            .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(subscribe(i))).build(), HttpResponse.BodyHandlers.ofString());
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() == 200) {
                        accepted.set(true);
                    } else if (response.statusCode() != 503 || response.headers().firstValue("Retry-After").isEmpty()) {
                        wrong.add(response.statusCode() + " " + response.body());
                    }
                } catch (ConnectException e) {
                    statuses.merge(-1, 1, Integer::sum);
                } catch (IOException e) {
                    // the connection closed under a request while the server stopped: the sender retries, as refused
                    statuses.merge(-2, 1, Integer::sum);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sender.start();
        RunningBus bus = RunningBus.start(dataDir, Map.of("camel.server.port", String.valueOf(port)));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!accepted.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(accepted).as("a webhook accepted once the bus runs").isTrue();
        } finally {
            bus.close();
        }
        Thread.sleep(500);
        running.set(false);
        sender.join(30_000);
        System.out.println("answers while starting and stopping (-1 refused, -2 closed): " + statuses);
        assertThat(wrong).as("answers other than 200, or 503 with Retry-After").isEmpty();
        assertThat(statuses).containsKey(200);
    }

    @Test
    void aConnectionWhoseRequestDoesNotArriveInTimeIsClosed() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("bus.server.request-timeout-ms", "1000",
                "bus.server.idle-timeout-ms", "3000"))) {
            int port = URI.create(bus.url("/")).getPort();
            String headers = "POST " + MAILCHIMP + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n";
            assertThat(closedByServer(port, "")).as("a connection that sends nothing").isTrue();
            assertThat(closedByServer(port, headers.substring(0, 40))).as("half the headers").isTrue();
            assertThat(closedByServer(port, headers + "\r\n" + "type=subscribe")).as("half the body").isTrue();
            // a request that arrives whole on the same kind of connection is answered
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.setSoTimeout(15_000);
                String body = subscribe(1);
                socket.getOutputStream().write((headers.replace("100", String.valueOf(body.length())) + "\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(answer).isEqualTo("HTTP/1.1 200");
            }
            // a keep-alive connection busy for longer than the timeout, each request arriving within it, stays open
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.setSoTimeout(15_000);
                long until = System.nanoTime() + 3_500_000_000L;
                int answered = 0;
                while (System.nanoTime() < until) {
                    String body = subscribe(100 + answered);
                    String request = headers.replace("100", String.valueOf(body.length())) + "\r\n" + body;
                    socket.getOutputStream().write(request.substring(0, request.length() - 5).getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(600);
                    socket.getOutputStream().write(request.substring(request.length() - 5).getBytes(StandardCharsets.US_ASCII));
                    assertThat(statusOf(socket.getInputStream())).as("answer " + (answered + 1)).isEqualTo(200);
                    answered++;
                }
                assertThat(answered).isGreaterThanOrEqualTo(5);
            }
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length off a keep-alive connection; its status. */
    static int statusOf(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Sends part of a request and waits (at most 15 s) for the server to close the connection. */
    static boolean closedByServer(int port, String partial) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the server says before closing
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true; // reset by the server
            }
        }
    }
}
