package dev.dynport.probe.schedule;

import dev.dynport.check.util.Text;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.run.CheckRun;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.Freshness;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.check.model.State;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.WireState;
import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Probes the configured targets for the scheduler: acquires and judges with the check's own code ({@link #check}, on
 * a probe thread), applies each outcome to the health model, publishes the events and counts. One probe from queued
 * to ended is a {@link ProbeRun}; the agent as a whole is {@code ProbeAgentService}. Never throws: whatever goes
 * wrong becomes a probe failure.
 */
public final class Prober {
    private static final Logger LOG = Logger.getLogger(Prober.class.getName());

    private final Map<String, TargetConfig> targets = new LinkedHashMap<>();
    private final Map<String, SnapshotSource> sources = new LinkedHashMap<>();
    private final HealthModel model;
    private final EventPublisher publisher;
    private final AgentMetrics metrics;
    /** "Now" for a snapshot target's {@code max_age}. */
    private volatile Clock clock = Clock.systemUTC();

    public Prober(List<TargetConfig> targets, SnapshotSourceFactory sourceFactory, HealthModel model,
            EventPublisher publisher, AgentMetrics metrics) {
        for (TargetConfig t : targets) {
            this.targets.put(t.name(), t);
            this.sources.put(t.name(), sourceFactory.create(t));
            metrics.target(t.name());
        }
        this.model = model;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Tests fix the clock that a snapshot's age is measured against. */
    void clock(Clock c) {
        this.clock = c;
    }

    public List<TargetConfig> targets() {
        return List.copyOf(targets.values());
    }

    public HealthModel model() {
        return model;
    }

    /** Acquires and judges; the slow part, run on a probe thread. Network failures are UNKNOWN, as in the check. */
    CheckResult check(TargetConfig target) {
        Freshness freshness = target.access() instanceof TargetAccess.SnapshotFile f ? f.freshness() : Freshness.NONE;
        return CheckRun.run(sources.get(target.name()), target.options(), target.timeout(), State.UNKNOWN,
                freshness, clock);
    }

    /** Applies a finished probe. */
    void report(TargetConfig target, CheckResult result, long nanos) {
        boolean failed = HealthModel.isProbeFailure(result);
        metrics.probeRun(target.name(), failed, nanos / 1e9);
        if (failed) {
            LOG.info("probe " + target.name() + " failed: " + Text.oneLine(result.summary()));
        } else {
            LOG.fine("probe " + target.name() + " " + result.state() + ": " + Text.oneLine(result.summary()));
        }
        emit(model.observe(target.name(), result));
    }

    /** Applies a probe that produced no result (crashed, or overran its budget and was abandoned). */
    void reportFailure(TargetConfig target, String reason, long nanos) {
        metrics.probeRun(target.name(), true, nanos / 1e9);
        LOG.warning("probe " + target.name() + " failed: " + Text.oneLine(reason));
        emit(model.probeFailed(target.name(), reason));
    }

    void metricsSkipped(TargetConfig target) {
        metrics.probeSkipped(target.name());
    }

    public void heartbeat() {
        emit(List.of(model.heartbeat()));
    }

    /** Logs each event on one line, then hands it to the delivery side. */
    public void emit(List<Event> events) {
        for (Event e : events) {
            LOG.info(logLine(e));
            try {
                publisher.publish(e);
                metrics.eventEmitted(e.type());
            } catch (IOException | RuntimeException ex) {
                metrics.publishFailed();
                LOG.severe("event " + e.id() + " could not be handed to delivery and is lost: " + ex);
            }
        }
    }

    /**
     * {@code event 102 PORT_STATE_CHANGED exch01 9955/ipv4 CRITICAL (was none) id=...: summary}; a usage event says
     * {@code usage/ipv4} where a port event names its port.
     */
    static String logLine(Event e) {
        StringBuilder b = new StringBuilder("event ").append(e.eventId()).append(' ').append(e.type()).append(' ')
                .append(e.host());
        if (e.port() != null) {
            b.append(' ').append(e.port()).append('/').append(e.family());
        } else if (e.type().isUsage()) {
            b.append(" usage/").append(e.family());
        }
        b.append(' ').append(WireState.name(e.state()));
        if (e.port() != null || e.type().isUsage() || e.type().name().startsWith("PROBE_")) {
            b.append(" (was ").append(e.previousState() == null ? "none" : WireState.name(e.previousState())).append(')');
        }
        b.append(" id=").append(e.id()).append(": ").append(Text.oneLine(e.summary()));
        return b.toString();
    }

}
