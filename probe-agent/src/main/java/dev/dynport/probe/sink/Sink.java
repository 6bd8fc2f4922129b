package dev.dynport.probe.sink;

import dev.dynport.probe.event.Event;

/** Delivers events to one receiver. Knows nothing of rules; only how to send and what is worth retrying. */
public interface Sink extends AutoCloseable {
    /** The configured name, used in logs, metrics and the spool cursor file. */
    String name();

    void deliver(Event event) throws DeliveryException;

    @Override
    default void close() {
    }
}
