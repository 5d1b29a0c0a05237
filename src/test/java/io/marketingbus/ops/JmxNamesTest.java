package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees in JConsole (the platform MBeanServer of the bus's JVM): routes and processors named for
 * what they do, each route described, statistics per destination, and refused webhooks told apart from served ones.
 */
class JmxNamesTest {

    static final String CONTEXT = "org.apache.camel:context=marketing-bus";
    static final String HIT = """
            {"client_id":"1234567890.1767599000","user_id":"hs-contact-999",
             "events":[{"name":"purchase","params":{"transaction_id":"T-JMX-1","value":10.5,"currency":"EUR"}}]}""";

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    Map<String, ObjectName> routes() throws Exception {
        Map<String, ObjectName> routes = new TreeMap<>();
        for (ObjectName name : jmx.queryNames(new ObjectName(CONTEXT + ",type=routes,*"), null)) {
            routes.put((String) jmx.getAttribute(name, "RouteId"), name);
        }
        return routes;
    }

    long route(String routeId, String attribute) throws Exception {
        ObjectName name = routes().get(routeId);
        assertThat(name).as("route %s in JMX, among %s", routeId, routes().keySet()).isNotNull();
        return ((Number) jmx.getAttribute(name, attribute)).longValue();
    }

    @Test
    void eachDestinationHasItsOwnItemAndDeadLetterStatistics() throws Exception {
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                .isEqualTo(200);
        // a hit for GA4 whose purchase names no known customer: delivered to GA4, dead-lettered by the resolver
        assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json", HIT)
                .statusCode()).isEqualTo(204);

        // each event goes straight through its destination's handler route; the item route takes only an event whose
        // first attempt failed and may be tried again (there: retries, then the dead letter), the dead-letter route
        // what is given up on (the resolver's unknown customer at once: it is not worth a second attempt)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(route("subscription-to-hubspot", "ExchangesCompleted")).isEqualTo(1);
            assertThat(route("conversion-forward-ga4", "ExchangesCompleted")).isEqualTo(1);
            assertThat(route("deliver-purchases-to-resolver-dead-letter", "ExchangesCompleted")).isEqualTo(1);
        });
        assertThat(route("deliver-purchases-to-resolver-item", "ExchangesTotal")).isZero();
        assertThat(route("deliver-subscriptions-to-hubspot-item", "ExchangesTotal")).isZero();
        assertThat(route("deliver-analytics-hits-to-ga4-item", "ExchangesTotal")).isZero();
        assertThat(route("deliver-subscriptions-to-hubspot-dead-letter", "ExchangesCompleted")).isZero();
        assertThat(route("deliver-analytics-hits-to-ga4-dead-letter", "ExchangesCompleted")).isZero();
        assertThat(route("deliver-conversions-to-hubspot-item", "ExchangesTotal")).isZero();
        assertThat(routes()).doesNotContainKeys("delivery-item", "delivery-dead-letter");
    }

    @Test
    void everyRouteHasAMeaningfulIdAndADescription() throws Exception {
        Map<String, ObjectName> routes = routes();
        assertThat(routes).containsKeys("deliver-subscriptions-to-hubspot", "deliver-opportunities-to-facebook",
                "deliver-opportunities-to-google-ads", "deliver-deal-changes-to-enricher", "deliver-analytics-hits-to-ga4",
                "deliver-purchases-to-resolver", "deliver-conversions-to-hubspot", "deliver-conversions-to-loyalty");
        assertThat(routes.keySet()).noneMatch(id -> id.matches("route-?\\d+"));
        List<String> undescribed = new ArrayList<>();
        for (Map.Entry<String, ObjectName> route : routes.entrySet()) {
            Object description = jmx.getAttribute(route.getValue(), "Description");
            if (description == null || description.toString().isBlank() || description.toString().contains("{{")) {
                undescribed.add(route.getKey());
            }
        }
        assertThat(undescribed).as("routes without a description").isEmpty();
    }

    @Test
    void everyProcessorHasAnIdThatSaysWhatItDoes() throws Exception {
        Set<ObjectName> processors = jmx.queryNames(new ObjectName(CONTEXT + ",type=processors,*"), null);
        assertThat(processors).isNotEmpty();
        List<String> generated = new ArrayList<>();
        for (ObjectName name : processors) {
            String id = (String) jmx.getAttribute(name, "ProcessorId");
            if (id.matches("^(bean|to|toD|filter|choice|setProperty|setHeader|log|split|loop|throttle|doTry|doCatch"
                    + "|process|when|otherwise|setBody|removeHeaders)\\d+$") || !id.matches("^[a-z0-9]+(-[a-z0-9]+)*$")) {
                generated.add(jmx.getAttribute(name, "RouteId") + "/" + id);
            }
        }
        assertThat(generated).as("processors with generated or non-kebab-case ids").isEmpty();
        List<String> ids = new ArrayList<>();
        for (ObjectName name : processors) {
            ids.add((String) jmx.getAttribute(name, "ProcessorId"));
        }
        // each delivery's steps under its own names; a route configuration's steps (ingress-errors) are one MBean
        // per context, as Camel names processor MBeans by id alone and does not prefix a route configuration's nodes
        assertThat(ids).contains("mailchimp-ingest-authenticate", "deliver-subscriptions-to-hubspot-item-call-handler",
                "deliver-conversions-to-hubspot-item-call-handler", "deliver-purchases-to-resolver-dead-letter-write-to-dlq",
                "answer-refusal");
    }

    @Test
    void refusedWebhooksCountAsFailuresNotAsCompletedExchanges() throws Exception {
        String route = "subscription-ingest-mailchimp";
        await().until(() -> routes().containsKey(route));
        long completed = route(route, "ExchangesCompleted");
        long failed = route(route, "ExchangesFailed");

        var unknownSecret = bus.postForm("/webhooks/mailchimp/wrong-secret", "type=subscribe");
        var malformed = bus.postForm("/webhooks/mailchimp/sandbox", "type=subscribe&fired_at=yesterday");

        // the answers stay what they were: JSON 4xx, no stack trace
        assertThat(unknownSecret.statusCode()).isEqualTo(401);
        assertThat(unknownSecret.body()).isEqualTo("{\"error\":\"unknown webhook URL\"}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).startsWith("{\"error\":").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(route(route, "ExchangesFailed")).isEqualTo(failed + 2);
        assertThat(route(route, "ExchangesCompleted")).isEqualTo(completed);
    }
}
