package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker stopped and started under load: meanwhile webhooks get 503; none that got 200 is lost. */
class BrokerRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void webhooksAcceptedAroundABrokerRestartAreAllDelivered() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("hubspot.requests-per-second", "1000"))) {
            EmbeddedKafkaBroker broker = bus.context().getRegistry().lookupByNameAndType("embeddedBroker",
                    EmbeddedKafkaBroker.class);
            List<String> accepted = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicBoolean sending = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(4);
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String email = "restart" + next.getAndIncrement() + "@example.com";
                        int status = bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                                .replace("lucia.martin%40example.com", email.replace("@", "%40"))).statusCode();
                        if (status == 200) {
                            accepted.add(email);
                        } else if (status == 503) {
                            refused.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(2000);
            broker.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() > 0);
            Thread.sleep(2000);
            broker.start();
            int acceptedAtRestart = accepted.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > acceptedAtRestart + 20);
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(120)).until(() -> {
                String contacts = bus.get("/sandbox/hubspot/contacts").body();
                return accepted.stream().allMatch(contacts::contains);
            });
            System.out.printf("broker restart: %d webhooks accepted and delivered, %d answered 503 while Kafka was down,"
                    + " %d other answers%n", accepted.size(), refused.get(), other.get());
            assertThat(other.get()).isZero();
        }
    }
}
