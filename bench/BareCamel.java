import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.main.Main;

/**
 * The bench's baseline: a bare Camel route, platform-http → kafka (acks=all) → 200, with the bus's Kafka producer
 * settings (application.properties, "The bus (Kafka)") and nothing else: no translation, no validation, no
 * delivery. What a webhook costs Camel, Vert.x and the Kafka client alone.
 *
 * Run: java -Xmx1g -cp target/marketing-bus.jar bench/BareCamel.java &lt;httpPort&gt; &lt;bootstrapServers&gt; [topic]
 * POST /webhooks/mailchimp/bench → the body onto the topic (default bench.bare; create it first, the broker does not
 * auto-create), keyed like the bus's records (a string spread over the partitions) → 200 {"status":"accepted"}.
 */
public class BareCamel {

    /** The bus's camel.component.kafka.* producer settings (application.properties in the jar), brokers aside. */
    static final Map<String, String> BUS_PRODUCER = Map.of(
            "camel.component.kafka.value-serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
            "camel.component.kafka.request-required-acks", "all",
            "camel.component.kafka.enable-idempotence", "true",
            "camel.component.kafka.linger-ms", "1",
            "camel.component.kafka.max-block-ms", "3000",
            "camel.component.kafka.request-timeout-ms", "4000",
            "camel.component.kafka.delivery-timeout-ms", "8000");

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BareCamel <httpPort> <bootstrapServers> [topic]");
            System.exit(2);
        }
        String topic = args.length > 2 ? args[2] : "bench.bare";
        Main main = new Main();
        // the jar ships the bus's application.properties: this program must not load it (its routes, its beans)
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addOverrideProperty("camel.main.name", "bench-bare");
        // Camel Main's default (dev) profile keeps a backlog tracer on standby; the bus turns it off, so does this
        main.addOverrideProperty("camel.main.profile", "prod");
        main.addOverrideProperty("camel.server.enabled", "true");
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", args[0]);
        main.addOverrideProperty("camel.component.kafka.brokers", args[1]);
        BUS_PRODUCER.forEach(main::addOverrideProperty);
        byte[] answer = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/webhooks/mailchimp/bench?httpMethodRestrict=POST")
                        .routeId("bare")
                        // platform-http hands a form over as a map of its fields (and copies them into headers,
                        // which must not become Kafka record headers nor response headers)
                        .removeHeaders("*")
                        .process(e -> {
                            String fields = String.valueOf(e.getMessage().getBody());
                            e.getMessage().setBody(fields.getBytes(StandardCharsets.UTF_8));
                            // the bus keys each record by its contact; a key from the body spreads them the same way
                            e.getMessage().setHeader(KafkaConstants.KEY, Integer.toHexString(fields.hashCode()));
                        })
                        .to("kafka:" + topic)
                        .removeHeaders("*")
                        .setHeader("Content-Type", constant("application/json"))
                        .setHeader("CamelHttpResponseCode", constant(200))
                        .setBody(constant(answer));
            }
        });
        main.run();
    }
}
