package io.marketingbus.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

class RecentHistoriesTest {

    @Test
    void purchasesOfOneCustomerResolvedAtOnceAreCountedOneAfterTheOther() throws Exception {
        RecentHistories recent = new RecentHistories(Clock.systemUTC());
        CustomerHistory crm = new CustomerHistory(0, BigDecimal.ZERO);
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CustomerHistory>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<CustomerHistory> purchase = () -> {
                go.await();
                // what the CRM answered before any of them was written: no purchase yet
                return recent.purchase("lucia.martin@example.com", crm, new BigDecimal("10"));
            };
            results.add(pool.submit(purchase));
        }
        go.countDown();
        List<Integer> counts = new ArrayList<>();
        for (Future<CustomerHistory> result : results) {
            counts.add(result.get().count());
        }
        pool.shutdown();

        assertThat(counts).as("each purchase its own number, none counted twice as the first")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, threads).boxed().toList());
        assertThat(recent.purchase("lucia.martin@example.com", crm, new BigDecimal("10")))
                .isEqualTo(new CustomerHistory(threads + 1, new BigDecimal("330")));
    }

    @Test
    void theCrmWinsOnceItIsAheadOrOnceTheResolversWriteIsOld() {
        MovableClock clock = new MovableClock("2026-11-29T10:00:00Z");
        RecentHistories recent = new RecentHistories(clock);

        assertThat(recent.purchase("a@example.com", new CustomerHistory(0, null), new BigDecimal("5")))
                .isEqualTo(new CustomerHistory(1, new BigDecimal("5")));
        assertThat(recent.purchase("a@example.com", new CustomerHistory(0, null), new BigDecimal("5")))
                .as("the CRM has not caught up: this resolver's write counts").isEqualTo(new CustomerHistory(2, new BigDecimal("10")));
        assertThat(recent.purchase("a@example.com", new CustomerHistory(7, new BigDecimal("70")), new BigDecimal("5")))
                .as("the CRM is ahead").isEqualTo(new CustomerHistory(8, new BigDecimal("75")));
        clock.now = clock.now.plus(RecentHistories.RECENT).plus(Duration.ofSeconds(1));
        assertThat(recent.purchase("a@example.com", new CustomerHistory(2, new BigDecimal("20")), new BigDecimal("5")))
                .as("older than RECENT: the CRM's answer").isEqualTo(new CustomerHistory(3, new BigDecimal("25")));
    }
}
