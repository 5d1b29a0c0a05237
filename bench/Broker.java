import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.marketingbus.bus.EmbeddedKafkaBroker;

/**
 * The bench's Kafka broker in a process of its own, so its CPU is measured apart from the bus's: the bus's own
 * single-node KRaft broker ({@link EmbeddedKafkaBroker}, the same settings it runs embedded), stopped on SIGTERM.
 *
 * Run: java -Xmx1g -cp target/marketing-bus.jar bench/Broker.java &lt;dataDir&gt; &lt;port&gt; &lt;controllerPort&gt;
 * Prints "broker ready on 127.0.0.1:&lt;port&gt;" once clients can connect.
 */
public class Broker {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Broker <dataDir> <port> <controllerPort>");
            System.exit(2);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "broker-stop"));
        broker.start();
        System.out.println("broker ready on " + broker.bootstrapServers());
        stopped.await();
    }
}
