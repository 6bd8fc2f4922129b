package dev.dynport.probe.ops;

import dev.dynport.probe.event.EventType;
import dev.dynport.check.model.State;
import dev.dynport.probe.health.HealthModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The agent's own samples (the delivery pipeline registers its own source). Counters are per process: they start
 * at 0 when the agent starts, as Prometheus expects.
 */
public final class AgentMetrics implements MetricSource {
    private final HealthModel model;
    private final BooleanSupplier schedulerRunning;
    private final Map<String, LongAdder> probes = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> probeFailures = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> probesSkipped = new ConcurrentSkipListMap<>();
    private final Map<String, Double> probeSeconds = new ConcurrentSkipListMap<>();
    private final Map<EventType, LongAdder> events = new ConcurrentHashMap<>();
    private final LongAdder publishFailures = new LongAdder();

    public AgentMetrics(HealthModel model, BooleanSupplier schedulerRunning) {
        this.model = model;
        this.schedulerRunning = schedulerRunning;
    }

    /** Registers a target so that its counters show 0 before its first probe. */
    public void target(String target) {
        probes.computeIfAbsent(target, t -> new LongAdder());
        probeFailures.computeIfAbsent(target, t -> new LongAdder());
        probesSkipped.computeIfAbsent(target, t -> new LongAdder());
    }

    /** @param seconds the probe's wall time; negative when it did not run (a skipped tick), which leaves the gauge */
    public void probeRun(String target, boolean failed, double seconds) {
        probes.computeIfAbsent(target, t -> new LongAdder()).increment();
        if (failed) {
            probeFailures.computeIfAbsent(target, t -> new LongAdder()).increment();
        }
        if (seconds >= 0) {
            probeSeconds.put(target, seconds);
        }
    }

    public void probeSkipped(String target) {
        probesSkipped.computeIfAbsent(target, t -> new LongAdder()).increment();
    }

    public void eventEmitted(EventType type) {
        events.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    public long eventsEmitted(EventType type) {
        LongAdder a = events.get(type);
        return a == null ? 0 : a.sum();
    }

    @Override
    public List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        probes.forEach((t, n) -> out.add(new Metric("dynport_probes_total",
                "Probes run per target, failed ones included.", "counter", Map.of("target", t), n.sum())));
        probeFailures.forEach((t, n) -> out.add(new Metric("dynport_probe_failures_total",
                "Probes that got no usable snapshot (unreachable, auth, timeout, unreadable output).", "counter",
                Map.of("target", t), n.sum())));
        probesSkipped.forEach((t, n) -> out.add(new Metric("dynport_probes_skipped_total",
                "Scheduled probes skipped because the previous probe of the target was still running.", "counter",
                Map.of("target", t), n.sum())));
        probeSeconds.forEach((t, s) -> out.add(new Metric("dynport_probe_duration_seconds",
                "Wall time of the last probe of the target.", "gauge", Map.of("target", t), s)));
        model.probeStates().forEach((t, s) -> out.add(new Metric("dynport_target_up",
                "1 while probes of the target work, 0 while a probe failure is confirmed.", "gauge",
                Map.of("target", t), s == State.OK ? 1 : 0)));
        for (EventType type : EventType.values()) {
            LongAdder a = events.get(type);
            out.add(new Metric("dynport_events_emitted_total", "Events handed to the delivery pipeline, by type.",
                    "counter", Map.of("type", type.name()), a == null ? 0 : a.sum()));
        }
        out.add(new Metric("dynport_event_publish_failures_total",
                "Events the delivery pipeline refused (logged at SEVERE; the event is lost).", "counter", Map.of(),
                publishFailures.sum()));
        for (HealthModel.PortStatus p : model.portStates()) {
            out.add(new Metric("dynport_port_state",
                    "Confirmed health of a watched port: 0 healthy, 1 warning, 2 critical, 3 unknown.", "gauge",
                    Map.of("host", p.key().host(), "port", Integer.toString(p.key().port()),
                            "family", p.key().family().label(), "label", p.label()),
                    p.state().exitCode()));
        }
        model.usageStates().forEach((k, st) -> out.add(new Metric("dynport_usage_state",
                "Confirmed health of a family's dynamic port usage against the target's usage thresholds:"
                        + " 0 healthy, 1 warning, 2 critical.", "gauge",
                Map.of("host", k.host(), "family", k.family().label()), st.exitCode())));
        out.add(new Metric("dynport_scheduler_running", "1 while the probe scheduler runs.", "gauge", Map.of(),
                schedulerRunning.getAsBoolean() ? 1 : 0));
        return out;
    }
}
