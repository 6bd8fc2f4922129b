package dev.dynport.probe.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The agent side of {@link SigkillTest}, run in its own JVM: {@code SPOOL_DIR URL COUNT}. Publishes COUNT
 * numbered events (COUNT may be 0 on a restart), then starts delivery to a webhook at URL and waits to be killed or
 * for the spool to drain; exit 0 means drained.
 */
public final class SpoolChild {
    private SpoolChild() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode spool = m.createObjectNode().put("dir", args[0]).put("flush_timeout_ms", 0);
        var sinks = m.createArrayNode();
        sinks.addObject().put("type", "webhook").put("url", args[1]).put("retry_initial_ms", 5)
                .put("retry_max_ms", 20);
        try (DeliveryPipeline p = DeliveryPipeline.open(spool, sinks, Map.of(), Clock.systemUTC())) {
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                p.publish(TestEvents.numbered(i));
            }
            System.out.println("published " + count);
            System.out.flush();
            p.start();
            if (!p.awaitDrained(Duration.ofSeconds(60))) {
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
