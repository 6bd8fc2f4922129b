package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.SecretRef;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * {@code webhook}: POSTs the event JSON ({@link EventJson}) to a URL. With {@code hmac_secret} the header
 * {@code X-Dynport-Signature: sha256=<hex>} carries HMAC-SHA256 of the exact body bytes under that secret;
 * {@code X-Dynport-Event-Id} carries the event id for de-duplication.
 */
final class WebhookSink implements Sink {
    static final String SIGNATURE_HEADER = "X-Dynport-Signature";

    private final String name;
    private final URI url;
    private final byte[] hmacKey;
    private final HttpPoster http;

    WebhookSink(String name, URI url, byte[] hmacKey, HttpPoster http) {
        this.name = name;
        this.url = url;
        this.hmacKey = hmacKey;
        this.http = http;
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        r.unknownFields(n, path, SinkFactory.fields(union(HttpPoster.FIELDS, Set.of("url", "hmac_secret"))));
        URI url = r.url(n, path, "url", null, false);
        SecretRef secret = r.secret(n, path, "hmac_secret", false);
        HttpPoster.Settings hs = HttpPoster.read(r, n, path);
        SSLContext ssl = HttpPoster.ssl(r, path, hs.caFile(), null);
        byte[] key = secret == null ? null : secret.valueAsString().getBytes(StandardCharsets.UTF_8);
        return clock -> new WebhookSink(name, url, key,
                new HttpPoster(name, ssl, hs.connectTimeout(), hs.requestTimeout()));
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        byte[] body = EventJson.toBytes(event);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Dynport-Event-Id", event.id());
        if (hmacKey != null) {
            headers.put(SIGNATURE_HEADER, sign(hmacKey, body));
        }
        HttpResponse<String> resp = http.post(url, headers, body);
        HttpPoster.requireSuccess(name, url, resp);
    }
}
