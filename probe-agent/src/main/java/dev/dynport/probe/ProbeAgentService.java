package dev.dynport.probe;

import dev.dynport.probe.config.AgentConfig;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import dev.dynport.probe.ops.HealthCheck;
import dev.dynport.probe.ops.OpsServer;
import dev.dynport.probe.schedule.Prober;
import dev.dynport.probe.schedule.ProbeScheduler;
import dev.dynport.probe.schedule.SnapshotSourceFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The agent put together: delivery, health model, probes, scheduler, ops endpoint. {@link #start()} for the
 * service, {@link #runOnce()} for {@code --once}; {@link #close()} shuts down in order: stop intake (scheduler),
 * say AGENT_STOPPING, flush and close delivery, stop the ops endpoint. Close is idempotent and bounded.
 */
public final class ProbeAgentService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProbeAgentService.class.getName());
    public static final Duration PROBE_DRAIN_BOUND = Duration.ofSeconds(10);

    /** What is plugged in from outside: the parts another branch builds, the clock, the randomness of jitter. */
    public record Wiring(DeliveryFactory delivery, SnapshotSourceFactory sources, Clock clock,
            RandomGenerator random) {
    }

    private final AgentConfig config;
    private final Clock clock;
    private final Delivery delivery;
    private final HealthModel model;
    private final AgentMetrics metrics;
    private final Prober prober;
    private final ProbeScheduler scheduler;
    private final Duration drainBound;
    private OpsServer ops;
    private boolean closed;

    private ProbeAgentService(AgentConfig config, Wiring wiring, int consecutiveSamples, Delivery delivery,
            Duration drainBound) {
        this.config = config;
        this.drainBound = drainBound;
        this.clock = wiring.clock();
        this.delivery = delivery;
        this.model = new HealthModel(config.agentName(), consecutiveSamples, config.renotifyInterval(), clock);
        // The scheduler is built below from the prober, which needs the metrics: read it late.
        this.metrics = new AgentMetrics(model, this::running);
        this.prober = new Prober(config.targets(), wiring.sources(), model, delivery, metrics);
        this.scheduler = new ProbeScheduler(prober, config.maxConcurrentProbes(), config.heartbeatInterval(),
                ProbeScheduler.DEFAULT_GRACE, wiring.random());
    }

    /**
     * Opens the delivery side and builds the agent; nothing runs yet.
     *
     * @param once for {@code --once}: a single round has a single sample, so states are confirmed by one sample
     */
    public static ProbeAgentService open(AgentConfig config, Wiring wiring, Map<String, String> env, boolean once)
            throws ConfigException, IOException {
        return open(config, wiring, env, once, PROBE_DRAIN_BOUND);
    }

    /** @param drainBound how long {@link #close()} waits for probes that still hold a slot */
    static ProbeAgentService open(AgentConfig config, Wiring wiring, Map<String, String> env, boolean once,
            Duration drainBound) throws ConfigException, IOException {
        Delivery delivery = wiring.delivery().open(config.delivery(), wiring.clock());
        try {
            return new ProbeAgentService(config, wiring, once ? 1 : config.consecutiveSamples(), delivery,
                    drainBound);
        } catch (RuntimeException e) {
            delivery.close();
            throw e;
        }
    }

    /** Starts delivery, the ops endpoint (when enabled) and the schedule, and says AGENT_STARTED. */
    public synchronized void start() throws IOException {
        delivery.start();
        if (config.ops().enabled()) {
            AgentConfig.Ops o = config.ops();
            char[] token = o.bearerToken() == null ? null : o.bearerToken().value();
            try {
                HealthCheck health = HealthCheck.all(HealthCheck.of(scheduler::running, "stopped"),
                        delivery::healthProblem);
                ops = OpsServer.start(o.listenAddress(), o.port(), health, token, OpsServer.Limits.DEFAULT);
            } finally {
                if (token != null) {
                    Arrays.fill(token, '\0');
                }
            }
            ops.register(metrics);
            ops.register(scheduler);
            ops.register(delivery);
            LOG.info("ops endpoint on http://" + hostForUrl(o.listenAddress()) + ":" + ops.port()
                    + "/metrics and /healthz" + (token != null ? " (bearer token required)" : ""));
        }
        prober.emit(List.of(lifecycle(EventType.AGENT_STARTED, "dynport-probe started with "
                + config.targets().size() + " targets")));
        scheduler.start();
    }

    /** Probes every target once and returns; events are handed to delivery, which {@link #close()} flushes. */
    public void runOnce() {
        delivery.start();
        scheduler.runOnce();
    }

    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    public boolean running() {
        return scheduler != null && scheduler.running();
    }

    public HealthModel model() {
        return model;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean service = scheduler.running();
        try {
            // Bounded even with stuck probes: abandoned ones are not waited for, the rest are interrupted.
            scheduler.stop(drainBound);
            if (service) {
                prober.emit(List.of(lifecycle(EventType.AGENT_STOPPING, "dynport-probe stopping")));
            }
        } finally {
            try {
                delivery.close();
            } finally {
                if (ops != null) {
                    ops.close();
                }
            }
        }
    }

    private Event lifecycle(EventType type, String summary) {
        return Event.lifecycle(clock.instant(), config.agentName(), type, summary);
    }

    private static String hostForUrl(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
