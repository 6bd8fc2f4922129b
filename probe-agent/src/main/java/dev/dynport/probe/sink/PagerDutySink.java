package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.check.util.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynport.probe.config.SecretRef;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.WireState;
import dev.dynport.check.model.State;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * {@code pagerduty}: Events API v2, {@code POST {url}/v2/enqueue}. Port events (and usage events, alert
 * {@code dynport:{host}:usage/{family}}) trigger (WARNING → warning,
 * CRITICAL → critical, UNKNOWN → error) or resolve (HEALTHY) the alert {@code dynport:{host}:{port}/{family}};
 * PROBE_FAILED triggers (error) and PROBE_RECOVERED resolves {@code dynport:{host}:probe}. A port's initial
 * Healthy state (PORT_STATE_CHANGED with previous state null, sent for every healthy port at agent start) is not
 * sent: there is nothing to resolve, and a resolve per port per restart would only fill the integration's log.
 * Heartbeats and agent lifecycle events are not sent either (counted as delivered). 202/2xx delivered; 429 and 5xx retried; 400 (invalid
 * event or routing key) not.
 */
final class PagerDutySink implements Sink {
    /** PagerDuty Events API v2 refuses a longer payload.summary. */
    static final int MAX_SUMMARY = 1024;
    static final String DEFAULT_URL = "https://events.pagerduty.com";

    private final String name;
    private final URI enqueue;
    private final String routingKey;
    private final HttpPoster http;

    PagerDutySink(String name, URI base, String routingKey, HttpPoster http) {
        this.name = name;
        String b = base.toString();
        this.enqueue = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v2/enqueue");
        this.routingKey = routingKey;
        this.http = http;
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        r.unknownFields(n, path, SinkFactory.fields(WebhookSink.union(HttpPoster.FIELDS,
                Set.of("url", "routing_key"))));
        URI url = r.url(n, path, "url", DEFAULT_URL, false);
        SecretRef key = r.secret(n, path, "routing_key", true);
        HttpPoster.Settings hs = HttpPoster.read(r, n, path);
        SSLContext ssl = HttpPoster.ssl(r, path, hs.caFile(), null);
        return clock -> new PagerDutySink(name, url, key.valueAsString(),
                new HttpPoster(name, ssl, hs.connectTimeout(), hs.requestTimeout()));
    }

    URI enqueueUri() {
        return enqueue;
    }

    static String dedupKey(Event e) {
        if (e.type().isUsage()) {
            return "dynport:" + e.host() + ":usage/" + e.family();
        }
        return e.port() == null ? "dynport:" + e.host() + ":probe"
                : "dynport:" + e.host() + ":" + e.port() + "/" + e.family();
    }

    static String severity(State s) {
        return switch (s) {
            case WARNING -> "warning";
            case CRITICAL -> "critical";
            case UNKNOWN -> "error";
            case OK -> "info";
        };
    }

    /** {@code 9955/ipv4}, {@code usage/ipv4}, or {@code probe} for host-level events. */
    static String component(Event e) {
        return e.type().isUsage() ? "usage/" + e.family() : e.port() == null ? "probe" : e.port() + "/" + e.family();
    }

    /** The request body, or null when this event type is not sent to PagerDuty. */
    ObjectNode body(Event e) {
        boolean resolve;
        switch (e.type()) {
            case PORT_STATE_CHANGED, PORT_RENOTIFY, USAGE_STATE_CHANGED, USAGE_RENOTIFY -> {
                resolve = e.state() == State.OK;
                if (resolve && e.previousState() == null) {
                    return null;
                }
            }
            case PROBE_FAILED -> resolve = false;
            case PROBE_RECOVERED -> resolve = true;
            default -> {
                return null;
            }
        }
        ObjectNode b = EventJson.mapper().createObjectNode();
        b.put("routing_key", routingKey);
        b.put("event_action", resolve ? "resolve" : "trigger");
        b.put("dedup_key", dedupKey(e));
        if (!resolve) {
            ObjectNode p = b.putObject("payload");
            String summary = e.host() + (e.port() == null && !e.type().isUsage() ? "" : " " + component(e)) + ": "
                    + (e.summary() == null ? e.type().toString() : e.summary());
            p.put("summary", Text.fit(summary, MAX_SUMMARY));
            p.put("source", e.host());
            p.put("severity", e.type() == dev.dynport.probe.event.EventType.PROBE_FAILED ? "error"
                    : severity(e.state()));
            p.put("timestamp", e.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            p.put("component", component(e));
            p.put("group", "dynport");
            p.put("class", e.type().toString());
            ObjectNode d = p.putObject("custom_details");
            d.put("event_id", e.id());
            d.put("windows_event_id", e.eventId());
            d.put("state", WireState.name(e.state()));
            d.put("previous_state", WireState.name(e.previousState()));
            d.put("details", e.details());
            d.set("finding_codes", EventJson.mapper().valueToTree(e.findingCodes()));
            d.set("remediation", EventJson.mapper().valueToTree(e.remediation()));
            d.set("evidence", EventJson.mapper().valueToTree(e.evidence()));
        }
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        ObjectNode body = body(event);
        if (body == null) {
            return;
        }
        var resp = http.post(enqueue, java.util.Map.of(), body.toString().getBytes(StandardCharsets.UTF_8));
        HttpPoster.requireSuccess(name, enqueue, resp);
    }
}
