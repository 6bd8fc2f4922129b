package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.check.model.State;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns events into passive check results for Icinga 2 and Nagios, shared by {@code icinga2} and
 * {@code nagios-cmd}.
 *
 * <p>{@code per-port} mode: one service per watched port and family, named by {@code service_template}
 * (default {@code dynport-{port}-{family}}). {@code per-host} mode: one service per host ({@code host_service},
 * default {@code dynport}) whose state is the worst of the host's ports (order of {@link State#worst}). An event
 * concerns one port, so the sink keeps the last state of every port it has seen per host, in memory: after an
 * agent restart the per-host result reflects only ports reported since (documented limit).
 *
 * <p>Usage events (a family's dynamic port usage against the target's thresholds) are one more "port" named
 * {@code usage}: per-port, the service is {@code service_template} with {@code {port}} = {@code usage} (default
 * {@code dynport-usage-ipv4}); per-host, they count towards the host service's worst state like a port.
 *
 * <p>PROBE_FAILED sets the host's services to UNKNOWN (per-host: the host service; per-port: every port service
 * of the host — Icinga by one filter {@code match()}, Nagios once per port seen). PROBE_RECOVERED re-sends the
 * last known port states (nothing when none is known: never an OK without data). Lifecycle events produce no
 * result.
 *
 * <p>Freshness: the mapping also remembers the last result it produced for every concrete service (per-port: one
 * per host/port/family seen; per-host: one per host), and a HEARTBEAT re-submits exactly those, one result per
 * known service, so passive services never go stale while the agent runs. It re-sends what was last sent, so a
 * service set UNKNOWN by a probe failure stays UNKNOWN until a port event or PROBE_RECOVERED says otherwise (a
 * heartbeat never turns a failed probe into an OK). A PROBE_FAILED sent to Icinga as one {@code match()} filter
 * is remembered per known port service; a host none of whose ports was ever reported has nothing to re-send.
 */
final class ServiceMapping {
    static final Set<String> FIELDS = Set.of("mode", "service_template", "host_service", "host_template");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    enum Mode { PER_PORT, PER_HOST }

    /**
     * One passive result. {@code allPortServices} means "every per-port service of the host" (Icinga expands it
     * by a filter; {@code service} then holds the glob). {@code port} is the watched port of a per-port service,
     * null for host services, usage services ({@code usage} true) and the glob: it lets a receiver that lacks the
     * service name the fix.
     */
    record Result(String host, String service, boolean allPortServices, int exitStatus, String output,
            List<String> perfdata, Integer port, boolean usage) {
    }

    /** @param port null for a family's dynamic port usage */
    private record PortState(Integer port, String family, String label, State state, String summary,
            List<String> perfdata) {
        String key() {
            return (port == null ? "usage" : port.toString()) + "/" + family;
        }
    }

    private final Mode mode;
    private final String serviceTemplate;
    private final String hostService;
    private final String hostTemplate;
    private final Map<String, TreeMap<String, PortState>> last = new HashMap<>();
    /**
     * Per host, the perfdata of its latest port or usage event. Every event of one probe carries the probe's whole
     * perfdata, so the per-host result shows that once, as the latest probe saw it, never once per port.
     */
    private final Map<String, List<String>> latestPerfdata = new HashMap<>();
    /** The last result produced per concrete service, keyed "host NUL service": what a heartbeat re-sends. */
    private final Map<String, Result> current = new TreeMap<>();

    ServiceMapping(Mode mode, String serviceTemplate, String hostService, String hostTemplate) {
        this.mode = mode;
        this.serviceTemplate = serviceTemplate;
        this.hostService = hostService;
        this.hostTemplate = hostTemplate;
    }

    static ServiceMapping read(FieldReader r, JsonNode n, String path) {
        String mode = r.oneOf(n, path, "mode", "per-port", Set.of("per-port", "per-host"));
        String st = r.string(n, path, "service_template", "dynport-{port}-{family}");
        String hs = r.string(n, path, "host_service", "dynport");
        String ht = r.string(n, path, "host_template", "{host}");
        checkTemplate(r, path + "/service_template", st, Set.of("host", "port", "family", "label"));
        checkTemplate(r, path + "/host_service", hs, Set.of("host"));
        checkTemplate(r, path + "/host_template", ht, Set.of("host"));
        return new ServiceMapping("per-host".equals(mode) ? Mode.PER_HOST : Mode.PER_PORT, st, hs, ht);
    }

    private static void checkTemplate(FieldReader r, String path, String t, Set<String> allowed) {
        if (t == null) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(t);
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                r.error(path + " uses an unknown placeholder {" + m.group(1) + "}; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + " [" + t + "]");
            }
        }
        if (t.contains(";") || t.contains("\n") || t.contains("\r") || t.contains("\"")) {
            r.error(path + " must not contain ; \" or line breaks [" + t + "]");
        }
    }

    Mode mode() {
        return mode;
    }

    static String expand(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(b);
        return b.toString();
    }

    String hostName(Event e) {
        return expand(hostTemplate, Map.of("host", e.host()));
    }

    /** @param port null for the usage service: {@code {port}} is then {@code usage} */
    String portService(String host, Integer port, String family, String label) {
        return expand(serviceTemplate, Map.of("host", host, "port", port == null ? "usage" : port.toString(),
                "family", family == null ? "" : family, "label", label == null ? "" : label));
    }

    /** The per-port service names of a host as a glob: placeholders other than {host} become {@code *}. */
    String portServiceGlob(String host) {
        Matcher m = PLACEHOLDER.matcher(serviceTemplate);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1).equals("host") ? host : "*"));
        }
        m.appendTail(b);
        return b.toString();
    }

    static int exitStatus(State s) {
        return s.exitCode();
    }

    static String output(State state, String summary, String details) {
        String first = (summary == null || summary.isBlank()) ? state.toString() : summary;
        return details == null || details.isBlank() || details.equals(summary) ? first : first + "\n" + details;
    }

    /**
     * The results to send for {@code e}; updates the last-state maps first. Not thread-safe (one worker).
     * Calling it again with the same event gives the same results (a retried delivery re-sends the same thing).
     */
    List<Result> results(Event e, boolean expandAllPortServices) {
        if (e.type() == EventType.HEARTBEAT) {
            return new ArrayList<>(current.values());
        }
        List<Result> out = resultsFor(e, expandAllPortServices);
        for (Result r : out) {
            if (!r.allPortServices()) {
                current.put(r.host() + '\0' + r.service(), r);
            }
        }
        if (e.type() == EventType.PROBE_FAILED && mode == Mode.PER_PORT && !expandAllPortServices) {
            // Icinga got one match() filter; remember UNKNOWN for every port service it covered that we know
            for (Result r : resultsFor(e, true)) {
                current.put(r.host() + '\0' + r.service(), r);
            }
        }
        return out;
    }

    private List<Result> resultsFor(Event e, boolean expandAllPortServices) {
        String host = hostName(e);
        List<Result> out = new ArrayList<>();
        switch (e.type()) {
            case PORT_STATE_CHANGED, PORT_RENOTIFY, USAGE_STATE_CHANGED, USAGE_RENOTIFY -> {
                if ((e.port() == null && !e.type().isUsage()) || e.state() == null) {
                    return out;
                }
                Integer port = e.type().isUsage() ? null : e.port();
                PortState ps = new PortState(port, e.family(), e.portLabel(), e.state(), e.summary(), e.perfdata());
                last.computeIfAbsent(host, h -> new TreeMap<>()).put(ps.key(), ps);
                latestPerfdata.put(host, e.perfdata());
                if (mode == Mode.PER_PORT) {
                    out.add(new Result(host, portService(host, port, e.family(), e.portLabel()), false,
                            exitStatus(e.state()), output(e.state(), e.summary(), e.details()),
                            e.perfdata(), port, port == null));
                } else {
                    out.add(hostSummary(host));
                }
            }
            case PROBE_FAILED -> {
                String text = "UNKNOWN: probe of " + e.host() + " failed: " + (e.summary() == null ? "" : e.summary());
                String longText = output(State.UNKNOWN, text,
                        java.util.Objects.equals(e.details(), e.summary()) ? null : e.details());
                if (mode == Mode.PER_HOST) {
                    out.add(new Result(host, expand(hostService, Map.of("host", host)), false, 3, longText, List.of(),
                            null, false));
                } else if (!expandAllPortServices) {
                    out.add(new Result(host, portServiceGlob(host), true, 3, longText, List.of(), null, false));
                } else {
                    for (PortState p : last.getOrDefault(host, new TreeMap<>()).values()) {
                        out.add(new Result(host, portService(host, p.port(), p.family(), p.label()), false, 3,
                                longText, List.of(), p.port(), p.port() == null));
                    }
                }
            }
            case PROBE_RECOVERED -> {
                TreeMap<String, PortState> ports = last.get(host);
                if (ports == null || ports.isEmpty()) {
                    return out;
                }
                if (mode == Mode.PER_HOST) {
                    out.add(hostSummary(host));
                } else {
                    for (PortState p : ports.values()) {
                        out.add(new Result(host, portService(host, p.port(), p.family(), p.label()), false,
                                exitStatus(p.state()), output(p.state(), p.summary(), null),
                                p.perfdata(), p.port(), p.port() == null));
                    }
                }
            }
            default -> {
                // agent lifecycle events carry no service state; heartbeats are handled in results()
            }
        }
        return out;
    }

    /** The items with each label once, at its first place with its last value (a label may be quoted: 'a b'=1). */
    static List<String> oncePerLabel(List<String> items) {
        Map<String, String> byLabel = new LinkedHashMap<>();
        for (String item : items) {
            int end = item.startsWith("'") ? item.indexOf('\'', 1) + 1 : item.indexOf('=');
            byLabel.put(end <= 0 ? item : item.substring(0, end), item);
        }
        return new ArrayList<>(byLabel.values());
    }

    private Result hostSummary(String host) {
        TreeMap<String, PortState> ports = last.get(host);
        State worst = State.OK;
        PortState worstPort = null;
        int unhealthy = 0;
        int usage = 0;
        List<String> perf = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (PortState p : ports.values()) {
            State s = p.state();
            if (worstPort == null || s.isWorseThan(worst)) {
                worst = State.worst(worst, s);
                worstPort = p;
            }
            if (p.state() != State.OK) {
                unhealthy++;
            }
            if (p.port() == null) {
                usage++;
            }
            lines.append('\n').append(p.state()).append(' ').append(p.key())
                    .append(": ").append(p.summary() == null ? "" : p.summary());
        }
        perf.addAll(oncePerLabel(latestPerfdata.getOrDefault(host, List.of())));
        String head = worst + ": " + unhealthy + " of " + (ports.size() - usage) + " watched port(s)"
                + (usage > 0 ? " and " + usage + " dynamic port usage figure(s)" : "") + " not healthy"
                + (unhealthy > 0 && worstPort != null ? "; worst " + worstPort.key() + ": " + worstPort.summary() : "");
        return new Result(host, expand(hostService, Map.of("host", host)), false, worst.exitCode(),
                head + lines, perf, null, false);
    }
}
