package dev.dynport.probe.health;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynamicUsage;
import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive check results into SCOM-style health and events.
 *
 * <p>Monitors: one per (target, watched port, family) for each family in which the check reported a finding for
 * the port (a family without findings gets no monitor, so a silent family can never read as Healthy), plus one
 * probe monitor per target, and one usage monitor per (target, family) whose dynamic port usage the check judged
 * against thresholds ({@code usage_warning}/{@code usage_critical}; without them usage never changes a state, so it
 * gets no monitor). Usage monitors follow the port monitors' rules with their own event types
 * ({@link EventType#USAGE_STATE_CHANGED}, {@link EventType#USAGE_RENOTIFY}). Rules:
 * <ul>
 * <li>A state change is confirmed after {@code consecutiveSamples} probes in a row showed it; the first state of a
 *     monitor after start is a change from "none" (previous state null) and needs the same confirmation.</li>
 * <li>The confirmed initial state of a port monitor, Healthy included, emits {@link EventType#PORT_STATE_CHANGED}
 *     with previous state null (event ID {@value EventIds#PORT_HEALTHY} for Healthy): passive services in
 *     Icinga 2/Nagios need a first result or they stay pending and go stale. Receivers treat it as
 *     initialisation: SCOM sets the monitor Healthy without an alert, the PagerDuty sink sends no resolve for it.
 *     Every later confirmed change emits one, including the change back to Healthy (the "resolved" a pager
 *     needs).</li>
 * <li>The probe monitor's initial Healthy state emits nothing (no PROBE_RECOVERED without a failure).</li>
 * <li>While a port monitor's confirmed state is not Healthy, {@link EventType#PORT_RENOTIFY} is emitted on the
 *     first successful probe at least {@code renotifyInterval} after its last event for that monitor.</li>
 * <li>A probe that got no usable snapshot ({@link CheckResult#failure()} set, or UNKNOWN with problems) is a sample
 *     of the target's probe monitor only: confirmed, it emits {@link EventType#PROBE_FAILED} (Unknown, host-level,
 *     no port); the port monitors keep their last confirmed state and their pending counts. The first confirmed
 *     good probe after that emits {@link EventType#PROBE_RECOVERED}.</li>
 * </ul>
 * Thread-safe: every method is synchronized, so samples of one target are applied in the order they arrive.
 */
public final class HealthModel {
    private final String agentName;
    private final int consecutiveSamples;
    private final Duration renotifyInterval;
    private final Clock clock;
    private final Map<MonitorKey, PortMonitor> ports = new LinkedHashMap<>();
    private final Map<UsageKey, PortMonitor> usage = new LinkedHashMap<>();
    private final Map<String, Debouncer> probes = new LinkedHashMap<>();

    /** @param renotifyInterval zero disables re-notification */
    public HealthModel(String agentName, int consecutiveSamples, Duration renotifyInterval, Clock clock) {
        this.agentName = agentName;
        this.consecutiveSamples = consecutiveSamples;
        this.renotifyInterval = renotifyInterval;
        this.clock = clock;
        new Debouncer(consecutiveSamples); // validates the count
    }

    private static final class PortMonitor {
        final Debouncer debouncer;
        String label;
        Instant lastNotified;
        /** The confirmed state before the last confirmed change (null for the first). */
        State changedFrom;

        PortMonitor(int samples, String label) {
            this.debouncer = new Debouncer(samples);
            this.label = label;
        }
    }

    /** A usage monitor: the dynamic port usage of one target in one address family. */
    public record UsageKey(String host, Family family) {
    }

    /** A port monitor's confirmed state, for the state gauges. */
    public record PortStatus(MonitorKey key, String label, State state) {
    }

    /** Whether a result means "the host could not be probed" rather than "the ports are in this state". */
    public static boolean isProbeFailure(CheckResult result) {
        return result.failure() != null || result.state() == State.UNKNOWN && !result.problems().isEmpty();
    }

    /** Applies one probe result of {@code host} and returns the events it causes, in order. */
    public synchronized List<Event> observe(String host, CheckResult result) {
        Instant now = clock.instant();
        if (isProbeFailure(result)) {
            String kind = result.failure() != null ? result.failure().name() : "UNUSABLE_OUTPUT";
            List<String> lines = new ArrayList<>();
            lines.add("failure: " + kind);
            lines.addAll(result.problems());
            return probeSample(host, State.UNKNOWN, now, result.summary(), String.join("\n", lines));
        }
        List<Event> events = new ArrayList<>(probeSample(host, State.OK, now,
                "probe of " + host + " works again", result.summary()));
        List<String> perf = result.perfdata().stream().map(PerfDatum::nagiosItem).toList();
        for (PortReport report : result.ports()) {
            Set<Family> families = EnumSet.noneOf(Family.class);
            for (Finding f : report.findings()) {
                families.add(f.family());
            }
            for (Family family : families) {
                Event e = portSample(host, result, report, family, perf, now);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        for (DynamicUsage u : result.usage()) {
            // Without a threshold the check never judges usage: a monitor would only ever say Healthy.
            if (u.warning() != null || u.critical() != null) {
                Event e = usageSample(host, u, perf, now);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    /** A probe that produced no result at all (timed out past its budget, crashed): a failed probe sample. */
    public synchronized List<Event> probeFailed(String host, String reason) {
        return probeSample(host, State.UNKNOWN, clock.instant(), reason, "failure: " + reason);
    }

    private List<Event> probeSample(String host, State observed, Instant now, String summary, String details) {
        Debouncer d = probes.computeIfAbsent(host, h -> new Debouncer(consecutiveSamples));
        Debouncer.Change c = d.sample(observed);
        if (c == null || c.previous() == null && c.current() == State.OK) {
            return List.of();
        }
        EventType type = c.current() == State.OK ? EventType.PROBE_RECOVERED : EventType.PROBE_FAILED;
        String text = type == EventType.PROBE_FAILED ? "cannot probe " + host + ": " + summary : summary;
        return List.of(Event.probe(now, agentName, host, type, c.current(), c.previous(), text, details));
    }

    private Event portSample(String host, CheckResult result, PortReport report, Family family, List<String> perf,
            Instant now) {
        MonitorKey key = new MonitorKey(host, report.port().port(), family);
        PortMonitor m = ports.computeIfAbsent(key, k -> new PortMonitor(consecutiveSamples, report.port().label()));
        m.label = report.port().label();
        EventType type = transition(m, report.state(family), now, EventType.PORT_STATE_CHANGED,
                EventType.PORT_RENOTIFY);
        if (type == null) {
            return null;
        }
        State state = m.debouncer.confirmed();
        State previous = type == EventType.PORT_RENOTIFY ? state : m.changedFrom;
        return Event.port(now, agentName, host, key.port(), m.label, family.label(), type, state, previous,
                EventTexts.codes(report, family), EventTexts.summary(report, family), EventTexts.details(report),
                EventTexts.remediation(report), perf, EventTexts.evidence(report, family));
    }

    private Event usageSample(String host, DynamicUsage u, List<String> perf, Instant now) {
        PortMonitor m = usage.computeIfAbsent(new UsageKey(host, u.family()),
                k -> new PortMonitor(consecutiveSamples, Event.USAGE_LABEL));
        EventType type = transition(m, u.state(), now, EventType.USAGE_STATE_CHANGED, EventType.USAGE_RENOTIFY);
        if (type == null) {
            return null;
        }
        State state = m.debouncer.confirmed();
        State previous = type == EventType.USAGE_RENOTIFY ? state : m.changedFrom;
        return Event.usage(now, agentName, host, u.family().label(), type, state, previous,
                UsageTexts.summary(u), UsageTexts.details(u), perf, UsageTexts.evidence(u));
    }

    /**
     * The one rule of port and usage monitors: a confirmed change emits {@code changed} (its previous state left in
     * {@code m.changedFrom}); a confirmed unhealthy state repeats as {@code renotify} once the interval has passed
     * since the monitor's last event; otherwise nothing (null).
     */
    private EventType transition(PortMonitor m, State observed, Instant now, EventType changed, EventType renotify) {
        Debouncer.Change c = m.debouncer.sample(observed);
        EventType type;
        if (c != null) {
            type = changed;
            m.changedFrom = c.previous();
        } else if (observed == m.debouncer.confirmed() && observed != State.OK
                && !renotifyInterval.isZero() && m.lastNotified != null
                && !now.isBefore(m.lastNotified.plus(renotifyInterval))) {
            type = renotify;
        } else {
            return null;
        }
        m.lastNotified = now;
        return type;
    }

    /** A heartbeat: the agent is alive, with a one-line count of what it sees. */
    public synchronized Event heartbeat() {
        long failing = probes.values().stream().filter(d -> d.confirmed() == State.UNKNOWN).count();
        List<String> unhealthy = new ArrayList<>();
        for (Map.Entry<MonitorKey, PortMonitor> e : ports.entrySet()) {
            State s = e.getValue().debouncer.confirmed();
            if (s != null && s != State.OK) {
                MonitorKey k = e.getKey();
                unhealthy.add(k.host() + " " + k.port() + " " + k.family().label() + " " + s);
            }
        }
        int unhealthyPorts = unhealthy.size();
        for (Map.Entry<UsageKey, PortMonitor> e : usage.entrySet()) {
            State s = e.getValue().debouncer.confirmed();
            if (s != null && s != State.OK) {
                unhealthy.add(e.getKey().host() + " usage " + e.getKey().family().label() + " " + s);
            }
        }
        String summary = agentName + " alive: " + probes.size() + " targets probed, " + failing
                + " failing, " + unhealthyPorts + " unhealthy port monitors"
                + (usage.isEmpty() ? "" : ", " + (unhealthy.size() - unhealthyPorts) + " unhealthy usage monitors");
        return Event.heartbeat(clock.instant(), agentName, summary, String.join("\n", unhealthy));
    }

    /** Confirmed port states, sorted by host, port, family. Unconfirmed monitors are left out. */
    public synchronized List<PortStatus> portStates() {
        List<PortStatus> out = new ArrayList<>();
        for (Map.Entry<MonitorKey, PortMonitor> e : ports.entrySet()) {
            State s = e.getValue().debouncer.confirmed();
            if (s != null) {
                out.add(new PortStatus(e.getKey(), e.getValue().label, s));
            }
        }
        out.sort(Comparator.comparing((PortStatus p) -> p.key().host()).thenComparingInt(p -> p.key().port())
                .thenComparing(p -> p.key().family()));
        return out;
    }

    /** Confirmed usage states, sorted by host and family. Unconfirmed monitors are left out. */
    public synchronized Map<UsageKey, State> usageStates() {
        Map<UsageKey, State> out = new java.util.TreeMap<>(Comparator.comparing(UsageKey::host)
                .thenComparing(UsageKey::family));
        usage.forEach((k, m) -> {
            if (m.debouncer.confirmed() != null) {
                out.put(k, m.debouncer.confirmed());
            }
        });
        return out;
    }

    /** Confirmed probe state per target: OK (probes work), UNKNOWN (failing), absent until confirmed. */
    public synchronized Map<String, State> probeStates() {
        Map<String, State> out = new LinkedHashMap<>();
        probes.forEach((host, d) -> {
            if (d.confirmed() != null) {
                out.put(host, d.confirmed());
            }
        });
        return out;
    }

    public String agentName() {
        return agentName;
    }
}
