package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.check.acquire.CodePages;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.Threshold;
import dev.dynport.check.judge.UsageThresholds;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.State;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The check settings a target inherits from {@code /defaults} and may override field by field:
 * {@code interval, jitter, timeout, profile, ports, exposed_state, expect_listening, charset,
 * pop3_backend_port, imap4_backend_port, watch_unused, usage_warning, usage_critical} (the check's
 * {@code --pop3-backend-port}, {@code --imap4-backend-port}, {@code --watch-unused}, {@code -w}, {@code -c}).
 *
 * <p>Deliberately no {@code unreachable_state} (the check's {@code --unreachable-state}): a target the agent
 * cannot probe is a PROBE_FAILED event, Unknown in every sink, and its ports keep their last state. An
 * {@code "unreachable_state": "ok"} is therefore refused as an unknown field with its JSON path; if the setting is
 * ever added, it takes warning, critical or unknown only, never ok.
 */
record CheckDefaults(Duration interval, Duration jitter, Duration timeout, Profile profile,
        List<WatchedPort> ports, State exposedState, boolean expectListening, Charset charset,
        Map<String, Integer> backendPorts, boolean watchUnused, UsageThresholds usage) {

    static final Set<String> FIELDS = Set.of("interval", "jitter", "timeout", "profile", "ports",
            "exposed_state", "expect_listening", "charset", "pop3_backend_port", "imap4_backend_port", "watch_unused",
            "usage_warning", "usage_critical");

    CheckDefaults {
        backendPorts = Map.copyOf(backendPorts);
    }

    /** The options the check itself takes. */
    CheckOptions options() {
        return new CheckOptions(profile, ports, exposedState, expectListening, backendPorts, watchUnused, usage);
    }
    private static final Set<String> PORT_FIELDS = Set.of("port", "label", "owners");

    /** Reads the check fields of {@code node} (at {@code path}) over {@code base}; errors go to {@code fields}. */
    static CheckDefaults read(FieldReader fields, JsonNode node, String path, CheckDefaults base) {
        Duration interval = fields.duration(node, path, "interval", base.interval(), false);
        Duration jitter = fields.duration(node, path, "jitter", base.jitter(), true);
        Duration timeout = fields.duration(node, path, "timeout", base.timeout(), false);
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            fields.error(path + "/interval must be at least 1s [" + node.path("interval").asText() + "]");
            interval = null;
        }
        // Compare the effective values: a target's short interval must also fit the jitter from /defaults.
        Duration iv = interval == null ? base.interval() : interval;
        Duration jt = jitter == null ? base.jitter() : jitter;
        Duration to = timeout == null ? base.timeout() : timeout;
        if (interval != null && jitter != null && jt.compareTo(iv) >= 0
                && (node.has("jitter") || node.has("interval"))) {
            String fld = node.has("jitter") ? "jitter" : "interval";
            fields.error(path + "/" + fld + " leaves a jitter (" + Durations.format(jt) + ") that is not shorter than"
                    + " the interval (" + Durations.format(iv) + ") [" + node.get(fld).asText() + "]");
        }
        if (interval != null && timeout != null && to.compareTo(iv) > 0
                && (node.has("timeout") || node.has("interval"))) {
            String fld = node.has("timeout") ? "timeout" : "interval";
            fields.error(path + "/" + fld + " leaves a timeout (" + Durations.format(to)
                    + ") longer than the interval (" + Durations.format(iv) + ") [" + node.get(fld).asText() + "]");
        }
        Profile profile = base.profile();
        JsonNode p = node.get("profile");
        if (p != null) {
            profile = p.isTextual() ? Profile.byName(p.asText()).orElse(null) : null;
            if (profile == null) {
                fields.error(path + "/profile must be one of " + Arrays.stream(Profile.values())
                        .map(Profile::profileName).collect(Collectors.joining(", ")) + " [" + FieldReader.shown(p)
                        + "]");
                profile = base.profile();
            }
        }
        State exposed = base.exposedState();
        JsonNode e = node.get("exposed_state");
        if (e != null) {
            String v = e.isTextual() ? e.asText() : "";
            if (v.equalsIgnoreCase("warning")) {
                exposed = State.WARNING;
            } else if (v.equalsIgnoreCase("critical")) {
                exposed = State.CRITICAL;
            } else {
                fields.error(path + "/exposed_state must be warning or critical [" + FieldReader.shown(e) + "]");
            }
        }
        boolean expect = fields.bool(node, path, "expect_listening", base.expectListening());
        List<WatchedPort> ports = node.has("ports") ? ports(fields, node.get("ports"), path + "/ports") : base.ports();
        Charset charset = base.charset();
        JsonNode c = node.get("charset");
        if (c != null) {
            // as the check's --charset: a Java charset name or a Windows code page number (850, 932, 65001)
            charset = CodePages.forName(c.isTextual() ? c.asText() : "").orElse(null);
            if (charset == null) {
                fields.error(path + "/charset is not a charset this Java runtime knows (e.g. IBM850, IBM437, 932,"
                        + " 936) [" + FieldReader.shown(c) + "]");
                charset = base.charset();
            }
        }
        Map<String, Integer> backendPorts = new HashMap<>(base.backendPorts());
        backendPort(fields, node, path, "pop3_backend_port", BackendSettings.POP3_BACKEND, backendPorts);
        backendPort(fields, node, path, "imap4_backend_port", BackendSettings.IMAP4_BACKEND, backendPorts);
        boolean watchUnused = fields.bool(node, path, "watch_unused", base.watchUnused());
        UsageThresholds usage = new UsageThresholds(
                threshold(fields, node, path, "usage_warning", base.usage().warning()),
                threshold(fields, node, path, "usage_critical", base.usage().critical()));
        return new CheckDefaults(interval == null ? base.interval() : interval,
                jitter == null ? base.jitter() : jitter,
                timeout == null ? base.timeout() : timeout, profile, ports, exposed, expect, charset, backendPorts,
                watchUnused, usage);
    }

    /**
     * The check's {@code -w}/{@code -c} range, read by the check's own parser so that the syntax and the refusals
     * are the same. Only a string: a bare {@code 80} would be 80 ports to the parser but often meant as 80%.
     */
    private static Threshold threshold(FieldReader fields, JsonNode node, String path, String field, Threshold base) {
        JsonNode v = node.get(field);
        if (v == null) {
            return base;
        }
        if (!v.isTextual()) {
            fields.error(path + "/" + field + " must be a threshold range as a string, e.g. \"80%\" or \"50000\" ["
                    + FieldReader.json(v) + "]");
            return base;
        }
        try {
            return Threshold.parse(v.asText());
        } catch (IllegalArgumentException e) {
            fields.error(path + "/" + field + " " + e.getMessage() + " [" + v.asText() + "]");
            return base;
        }
    }

    private static void backendPort(FieldReader fields, JsonNode node, String path, String field, String service,
            Map<String, Integer> ports) {
        if (node.has(field)) {
            Integer port = fields.portNumber(node.get(field), path + "/" + field, 1);
            if (port != null) {
                ports.put(service, port);
            }
        }
    }

    private static List<WatchedPort> ports(FieldReader fields, JsonNode node, String path) {
        List<WatchedPort> ports = new ArrayList<>();
        if (!node.isArray()) {
            fields.error(path + " must be a JSON array of port numbers or {\"port\", \"label\", \"owners\"} objects ["
                    + FieldReader.shown(node) + "]");
            return ports;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            String p = path + "/" + i;
            if (n.isObject()) {
                fields.unknownFields(n, p, PORT_FIELDS);
                if (!n.has("port")) {
                    fields.error(p + "/port is required");
                    continue;
                }
                Integer port = fields.portNumber(n.get("port"), p + "/port", 1);
                String label = n.has("label") ? fields.text(n.get("label"), p + "/label") : null;
                List<String> owners = new ArrayList<>();
                JsonNode o = n.get("owners");
                if (o != null) {
                    if (!o.isArray()) {
                        fields.error(p + "/owners must be a JSON array of service or image names ["
                                + FieldReader.shown(o) + "]");
                    } else {
                        for (int k = 0; k < o.size(); k++) {
                            String owner = fields.text(o.get(k), p + "/owners/" + k);
                            if (owner != null) {
                                owners.add(owner);
                            }
                        }
                    }
                }
                if (port != null) {
                    ports.add(new WatchedPort(port, label == null ? "port " + port : label, owners,
                            WatchedPort.Origin.USER));
                }
            } else {
                Integer port = fields.portNumber(n, p, 1);
                if (port != null) {
                    ports.add(new WatchedPort(port, "port " + port, List.of(), WatchedPort.Origin.USER));
                }
            }
        }
        return ports;
    }
}
