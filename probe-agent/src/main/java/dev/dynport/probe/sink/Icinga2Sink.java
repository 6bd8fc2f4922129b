package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynport.probe.config.SecretRef;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.ops.Metric;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * {@code icinga2}: passive check results through {@code POST {url}/v1/actions/process-check-result}
 * ({@code Accept: application/json}), authenticated as an ApiUser with a password (basic auth) or a client
 * certificate (PEM cert + PEM key, or PKCS#12), the server verified against {@code ca_file}.
 * Services are mapped by {@link ServiceMapping}. 2xx delivered; 408/429/other 5xx and connection errors are
 * retried; other 4xx (401 bad credentials, 403 missing permission) are not.
 *
 * <p>404 ("No objects found": the service does not exist in Icinga), and 500 with an empty {@code results} array
 * (how Icinga 2.13 says the same), mean a configuration gap that retrying cannot close: the result is dropped
 * (counted per result in {@code dynport_results_rejected_total{reason="service_missing"}}, the event in
 * {@code dynport_events_failed_total}), and the gap is logged at SEVERE once per service with the fix, not once
 * per event or heartbeat. The result stays in the mapping's memory, so every HEARTBEAT re-sends it: once the
 * service exists, it shows the current state within one heartbeat interval, and an INFO line says so.
 *
 * <p>A HEARTBEAT re-submits the last result of every service this sink has set (see {@link ServiceMapping}), one
 * request per service, so freshness checks never expire while the agent runs.
 */
final class Icinga2Sink implements Sink {
    private static final Logger LOG = Logger.getLogger(Icinga2Sink.class.getName());

    private final String name;
    private final URI endpoint;
    private final String authorization;
    private final String checkSource;
    private final ServiceMapping mapping;
    private final HttpPoster http;
    private final LongAdder serviceMissing = new LongAdder();
    /** Filters of the services reported missing, so each is logged once until Icinga accepts it again. */
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();

    Icinga2Sink(String name, URI base, String authorization, String checkSource, ServiceMapping mapping,
            HttpPoster http) {
        this.name = name;
        String b = base.toString();
        this.endpoint = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b)
                + "/v1/actions/process-check-result");
        this.authorization = authorization;
        this.checkSource = checkSource;
        this.mapping = mapping;
        this.http = http;
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        Set<String> fields = new HashSet<>(HttpPoster.FIELDS);
        fields.addAll(ServiceMapping.FIELDS);
        fields.addAll(Set.of("url", "username", "password", "client_cert", "client_key", "client_p12",
                "client_p12_password", "check_source"));
        r.unknownFields(n, path, SinkFactory.fields(fields));
        URI url = r.url(n, path, "url", null, true);
        String user = r.optionalString(n, path, "username");
        SecretRef password = r.has(n, "password") || user != null ? r.secret(n, path, "password", user != null) : null;
        if (password != null && user == null) {
            r.error(path + "/username is required with /password");
        }
        Path cert = r.readableFile(n, path, "client_cert", false);
        Path key = r.readableFile(n, path, "client_key", false);
        Path p12 = r.readableFile(n, path, "client_p12", false);
        SecretRef p12Password = r.secret(n, path, "client_p12_password", p12 != null);
        if (r.has(n, "client_cert") != r.has(n, "client_key")) {
            r.error(path + " needs both client_cert and client_key (PEM) [only "
                    + (r.has(n, "client_cert") ? "client_cert" : "client_key") + " given]");
        }
        if (r.has(n, "client_p12") && r.has(n, "client_cert")) {
            r.error(path + " takes client_cert/client_key or client_p12, not both [both given]");
        }
        if (user == null && !r.has(n, "client_cert") && !r.has(n, "client_p12")) {
            r.error(path + " needs ApiUser credentials: username + password, or client_cert + client_key, or "
                    + "client_p12 [none given]");
        }
        KeyManager[] km = null;
        try {
            if (cert != null && key != null) {
                km = Tls.fromPem(cert, key);
            } else if (p12 != null && p12Password != null) {
                km = Tls.fromPkcs12(p12, p12Password.value());
            }
        } catch (IOException | GeneralSecurityException e) {
            r.error(path + (p12 != null ? "/client_p12 cannot be loaded [" + p12 + "]: "
                    : "/client_key cannot be loaded with /client_cert [" + key + "]: ") + e.getMessage());
        }
        String checkSource = r.optionalString(n, path, "check_source");
        ServiceMapping mapping = ServiceMapping.read(r, n, path);
        HttpPoster.Settings hs = HttpPoster.read(r, n, path);
        SSLContext ssl = HttpPoster.ssl(r, path, hs.caFile(), km);
        String auth = user == null || password == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password.valueAsString()).getBytes(StandardCharsets.UTF_8));
        return clock -> new Icinga2Sink(name, url, auth, checkSource, mapping,
                new HttpPoster(name, ssl, hs.connectTimeout(), hs.requestTimeout()));
    }

    /** An Icinga DSL string literal. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String filter(ServiceMapping.Result r) {
        String service = r.allPortServices() ? "match(" + quote(r.service()) + ", service.name)"
                : "service.name==" + quote(r.service());
        return "host.name==" + quote(r.host()) + " && " + service;
    }

    ObjectNode body(ServiceMapping.Result r, Event e) {
        ObjectNode b = EventJson.mapper().createObjectNode();
        b.put("type", "Service");
        b.put("filter", filter(r));
        b.put("exit_status", r.exitStatus());
        b.put("plugin_output", r.output());
        ArrayNode perf = b.putArray("performance_data");
        r.perfdata().forEach(perf::add);
        b.put("check_source", checkSource != null ? checkSource : e.agent());
        return b;
    }

    /**
     * Icinga 2.13 (Debian 12) answers a filter that matches nothing with HTTP 500 and {@code {"results":[]}};
     * later versions with 404 "No objects found." Both mean the service is missing, which retrying cannot fix.
     */
    static boolean emptyResults(String body) {
        try {
            JsonNode n = EventJson.mapper().readTree(body == null ? "" : body);
            return n != null && n.isObject() && n.path("results").isArray() && n.path("results").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("dynport_results_rejected_total",
                "Passive results the receiver refused, by reason (service_missing: no such service in Icinga; the"
                        + " fix is logged once per service)", "counter",
                Map.of("sink", name, "reason", "service_missing"), serviceMissing.sum()));
    }

    /**
     * Sends every result of the event, so one missing service never holds back the others (a PROBE_RECOVERED or a
     * heartbeat carries one result per port). A retryable failure retries the whole event: the re-sent results are
     * the same, so repeats are harmless. Missing services are counted and end the event as not retryable (the
     * worker counts it in {@code dynport_events_failed_total}, except for heartbeats, which exist to re-send).
     */
    @Override
    public void deliver(Event event) throws DeliveryException {
        List<ServiceMapping.Result> results = mapping.results(event, false);
        if (results.isEmpty() && event.type() == EventType.PROBE_RECOVERED) {
            LOG.info(() -> name + ": PROBE_RECOVERED of " + event.host() + " not sent: no port of this host "
                    + "reported since the agent started (never an OK without data)");
        }
        List<String> missing = new ArrayList<>();
        for (ServiceMapping.Result r : results) {
            String problem = send(body(r, event), r);
            if (problem != null) {
                missing.add(problem);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (event.type() == EventType.HEARTBEAT) {
            LOG.fine(() -> name + ": heartbeat re-submitted " + (results.size() - missing.size()) + " of "
                    + results.size() + " known service(s); not accepted: " + missing);
            return;
        }
        throw new DeliveryException(false, missing.size() == 1 ? missing.get(0)
                : missing.size() + " of " + results.size() + " results not accepted: " + String.join("; ", missing),
                true);
    }

    /** @return null when Icinga accepted the result; the problem text when the service does not exist */
    private String send(ObjectNode body, ServiceMapping.Result r) throws DeliveryException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        HttpResponse<String> resp = http.post(endpoint, headers, body.toString().getBytes(StandardCharsets.UTF_8));
        String filter = filter(r);
        if (resp.statusCode() == 404 || (resp.statusCode() == 500 && emptyResults(resp.body()))) {
            serviceMissing.increment();
            String msg = name + ": Icinga has no service matching [" + filter + "] (HTTP " + resp.statusCode() + " "
                    + HttpPoster.snippet(resp.body()) + "); " + fix(r);
            // once per service: each heartbeat re-sends its result, and would repeat the same line every interval
            if (reportedMissing.add(filter)) {
                LOG.severe(msg + ". Results for it are dropped (counted in dynport_results_rejected_total{reason="
                        + "\"service_missing\"}) and re-sent with every heartbeat, so the service shows the current "
                        + "state within heartbeat_interval of being created; logged once per service");
            }
            return msg;
        }
        HttpPoster.requireSuccess(name, endpoint, resp);
        if (reportedMissing.remove(filter)) {
            LOG.info(() -> name + ": Icinga now accepts results for [" + filter + "]");
        }
        return null;
    }

    /** What the operator changes, in the words of templates/icinga2/dynport-services.conf. */
    private String fix(ServiceMapping.Result r) {
        String host = r.host();
        if (r.allPortServices()) {
            return "host " + host + " has no per-port dynport service: set vars.dynport_agent = \"per-port\" on host "
                    + host + " (templates/icinga2/dynport-services.conf), or fix this sink's mode/service_template/"
                    + "host_template";
        }
        if (r.usage()) {
            return "create service " + r.service() + " on host " + host + ": set vars.dynport_usage_warning or"
                    + " vars.dynport_usage_critical on host " + host + " (with vars.dynport_agent = \"per-port\","
                    + " templates/icinga2/dynport-services.conf makes dynport-usage-{family}), or fix this sink's"
                    + " mode/service_template/host_template";
        }
        if (r.port() == null) {
            return "create service " + r.service() + " on host " + host + ": set vars.dynport_agent = \"per-host\" on "
                    + "host " + host + " (templates/icinga2/dynport-services.conf), or fix this sink's mode/host_service/"
                    + "host_template";
        }
        return "create service " + r.service() + " on host " + host + ": add port " + r.port()
                + " to vars.dynport_ports of host " + host + " (with vars.dynport_agent = \"per-port\", "
                + "templates/icinga2/dynport-services.conf makes dynport-{port}-{family} for the ports of "
                + "vars.dynport_profile and vars.dynport_ports; keep them equal to this agent's target profile and "
                + "ports), or fix this sink's mode/service_template/host_template";
    }
}
