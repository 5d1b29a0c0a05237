package io.marketingbus.ops.console;

import io.marketingbus.ops.DeadLetterReplay;
import io.marketingbus.ops.DeliveryRecords;
import io.vertx.ext.web.Router;

/** The console's live debugger (an event's trail) and dead letters page (groups, replay): their APIs. */
public final class ConsoleDebugger implements ConsolePart {

    private final ConsoleTrails trails;
    private final ConsoleDeadLetters deadLetters;

    /** @param scanPerTopic how many of each dead-letter topic's newest letters the page reads */
    public ConsoleDebugger(DeliveryRecords records, String bootstrapServers, int scanPerTopic) {
        this.trails = new ConsoleTrails(records);
        this.deadLetters = new ConsoleDeadLetters(new DeadLetterGroups(bootstrapServers, scanPerTopic),
                new DeadLetterReplay(bootstrapServers));
    }

    @Override
    public void register(Router router, ConsoleAuth auth) {
        trails.register(router, auth);
        deadLetters.register(router, auth);
    }
}
