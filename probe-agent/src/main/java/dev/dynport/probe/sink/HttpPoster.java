package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.check.util.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * One HTTP(S) client per sink (JDK {@link HttpClient}, HTTP/1.1). Status rules shared by the HTTP sinks:
 * 2xx delivered; 408, 429 and 5xx retryable; any other status not; connection errors and timeouts retryable.
 */
final class HttpPoster {
    /** How much of a receiver's answer an error message quotes. */
    private static final int SNIPPET = 300;
    static final Set<String> FIELDS = Set.of("ca_file", "connect_timeout_ms", "request_timeout_ms");

    record Settings(Path caFile, Duration connectTimeout, Duration requestTimeout) {
    }

    private final String sinkName;
    private final HttpClient client;
    private final Duration requestTimeout;

    HttpPoster(String sinkName, SSLContext ssl, Duration connectTimeout, Duration requestTimeout) {
        this.sinkName = sinkName;
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(ssl)
                .build();
    }

    static Settings read(FieldReader r, JsonNode n, String path) {
        Path ca = r.readableFile(n, path, "ca_file", false);
        long connect = r.number(n, path, "connect_timeout_ms", 5000, 1, 600_000);
        long request = r.number(n, path, "request_timeout_ms", 10_000, 1, 600_000);
        return new Settings(ca, Duration.ofMillis(connect), Duration.ofMillis(request));
    }

    /** Loads trust (and optional client keys) now, so a bad file is a config error at start, not at delivery. */
    static SSLContext ssl(FieldReader r, String path, Path caFile, KeyManager[] keyManagers) {
        try {
            return Tls.context(caFile, keyManagers);
        } catch (IOException | GeneralSecurityException e) {
            r.error(path + "/ca_file cannot be loaded as PEM CA certificates [" + caFile + "]: " + e.getMessage());
            return null;
        }
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    HttpResponse<String> post(URI uri, Map<String, String> headers, byte[] body) throws DeliveryException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException(true, sinkName + ": POST " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(true, sinkName + ": POST " + uri + " interrupted", e);
        }
    }

    /** Throws unless 2xx, with the retry rule above; {@code what} names the receiver for the message. */
    static void requireSuccess(String sinkName, URI uri, HttpResponse<String> resp) throws DeliveryException {
        int s = resp.statusCode();
        if (s / 100 == 2) {
            return;
        }
        throw new DeliveryException(retryableStatus(s), sinkName + ": POST " + uri + " answered HTTP " + s + ": "
                + snippet(resp.body()));
    }

    static String snippet(String body) {
        if (body == null) {
            return "";
        }
        String one = body.replaceAll("\\s+", " ").strip();
        return Text.clip(one, SNIPPET);
    }
}
