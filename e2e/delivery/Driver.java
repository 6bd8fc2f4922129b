import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.event.WireState;
import dev.dynport.check.model.State;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.sink.DeliveryPipeline;
import dev.dynport.probe.sink.PipelineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * e2e driver for the delivery pipeline: {@code Driver SPOOL_DIR SINKS_JSON_FILE EVENT...}, each EVENT
 * {@code port:HOST:PORT:FAMILY:STATE:SUMMARY} or {@code failed:HOST:REASON}. Publishes the events, delivers them
 * and prints {@code delivered=N failed=N dropped=N} for the (single) sink; exit 0 once drained, 1 if not.
 */
public final class Driver {
    public static void main(String[] args) throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode spool = m.createObjectNode().put("dir", args[0]).put("flush_timeout_ms", 1000);
        JsonNode sinks = m.readTree(Files.readString(Path.of(args[1])));
        PipelineSettings settings = PipelineSettings.parse(spool, sinks, System.getenv());
        int code;
        try (DeliveryPipeline p = DeliveryPipeline.open(settings, Clock.systemUTC())) {
            for (int i = 2; i < args.length; i++) {
                p.publish(event(args[i]));
            }
            p.start();
            code = p.awaitDrained(Duration.ofSeconds(60)) ? 0 : 1;
            List<Metric> ms = p.metrics();
            System.out.println("delivered=" + value(ms, "dynport_events_delivered_total") + " failed="
                    + value(ms, "dynport_events_failed_total") + " retries="
                    + value(ms, "dynport_delivery_failed_attempts_total"));
        }
        System.exit(code);
    }

    private static long value(List<Metric> ms, String name) {
        return (long) ms.stream().filter(x -> x.name().equals(name)).mapToDouble(Metric::value).sum();
    }

    private static Event event(String spec) {
        String[] f = spec.split(":", spec.startsWith("failed:") ? 3 : 6);
        if (f[0].equals("failed")) {
            return Event.probe(Instant.now(), "e2e-agent", f[1], EventType.PROBE_FAILED, State.UNKNOWN, null, f[2],
                    f[2]);
        }
        State s = WireState.parse(f[4]);
        int port = Integer.parseInt(f[2]);
        return Event.port(Instant.now(), "e2e-agent", f[1], port, "label", f[3], EventType.PORT_STATE_CHANGED, s, null,
                List.of("E2E"), f[5], f[5] + "\nsecond line", List.of(),
                List.of("'" + port + "/" + f[3] + " exposed'=" + (s == State.OK ? 0 : 1) + ";;1;0;1"), List.of());
    }

    private Driver() {
    }
}
