package dev.dynport.probe;

import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.ops.MetricSource;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.dynport.probe.event.Event;

/**
 * What the agent needs of the delivery side (durable spool and sinks): take events, report metrics, start, and on
 * {@link #close()} stop intake and flush within its own bound. {@code DeliveryPipeline} implements the parts;
 * {@link #of} adapts it.
 */
public interface Delivery extends EventPublisher, MetricSource, AutoCloseable {
    void start();

    /** Stops intake and flushes within a bound; never throws. */
    @Override
    void close();

    /** Adapts a pipeline object that has the parts under other types: {@code Delivery.of(p, p, p::start, p)}. */
    static Delivery of(EventPublisher publisher, MetricSource metrics, Runnable start, AutoCloseable closer) {
        return new Delivery() {
            @Override
            public void publish(Event event) throws IOException {
                publisher.publish(event);
            }

            @Override
            public List<Metric> metrics() {
                return metrics.metrics();
            }

            @Override
            public void start() {
                start.run();
            }

            @Override
            public void close() {
                try {
                    closer.close();
                } catch (Exception e) {
                    Logger.getLogger(Delivery.class.getName()).log(Level.WARNING, "closing delivery failed: " + e, e);
                }
            }
        };
    }
}
