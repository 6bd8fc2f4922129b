package dev.dynport.probe.event;

import java.io.IOException;

/** Where the health model hands events: in production the durable spool; in tests a list. */
public interface EventPublisher {
    /**
     * Returns once the event is durable (for the spool: written and forced to disk), or, while the spool cannot
     * write, held in memory under a bounded, counted drop policy; throws when the event is refused.
     */
    void publish(Event event) throws IOException;
}
