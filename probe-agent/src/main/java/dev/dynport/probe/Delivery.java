package dev.dynport.probe;

import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.ops.MetricSource;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.dynport.probe.event.Event;

/**
 * What the agent needs of the delivery side (durable spool and sinks): take events, report metrics and health,
 * start, and on {@link #close()} stop intake and flush within its own bound. {@code DeliveryPipeline} implements
 * the parts; {@link #of} adapts it.
 */
public interface Delivery extends EventPublisher, MetricSource, AutoCloseable {
    void start();

    /**
     * Empty while delivery can do its job; else one line for {@code /healthz}, e.g. {@code spool cannot write: No
     * space left on device (held=12 events, dropped=0, since 2026-11-30T03:00:00Z)}.
     */
    Optional<String> healthProblem();

    /** Stops intake and flushes within a bound; never throws. */
    @Override
    void close();

    /** A delivery with nothing that can become unhealthy (log only, tests). */
    static Delivery of(EventPublisher publisher, MetricSource metrics, Runnable start, AutoCloseable closer) {
        return of(publisher, metrics, start, closer, Optional::empty);
    }

    /** Adapts a pipeline: {@code Delivery.of(p, p, p::start, p, p::healthProblem)}. */
    static Delivery of(EventPublisher publisher, MetricSource metrics, Runnable start, AutoCloseable closer,
            Supplier<Optional<String>> health) {
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
            public Optional<String> healthProblem() {
                return health.get();
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
