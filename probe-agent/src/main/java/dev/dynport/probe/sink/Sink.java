package dev.dynport.probe.sink;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.ops.Metric;
import java.util.List;

/** Delivers events to one receiver. Knows nothing of rules; only how to send and what is worth retrying. */
public interface Sink extends AutoCloseable {
    /** The configured name, used in logs, metrics and the spool cursor file. */
    String name();

    void deliver(Event event) throws DeliveryException;

    /** The sink's own samples for {@code /metrics} (the pipeline adds the per-sink delivery counters). */
    default List<Metric> metrics() {
        return List.of();
    }

    @Override
    default void close() {
    }
}
