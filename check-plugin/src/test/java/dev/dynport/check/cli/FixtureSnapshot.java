package dev.dynport.check.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot file assembled from fixture files byte for byte, one per section: real captures (from different
 * hosts, so the combination is a scenario, not a capture) with a constructed section where no real one exists.
 */
final class FixtureSnapshot {
    /** Real sections from the GitHub Actions / web-shell Windows hosts in fixtures/SOURCES (default range). */
    static final Map<String, String> DEFAULT_RANGE_HOST = sections(
            "dynamicport/v4-en-01.txt", "dynamicport/v4-en-01.txt",
            "excludedportrange/v4-en-01.txt", "excludedportrange/v4-en-01.txt",
            "netstat/ano-en-02.txt", "tasklist/svc-csv-en-for-ano-en-02-constructed.txt");
    /** The Exchange range (real 2010 capture), a real runner's exclusions, the constructed Exchange listeners. */
    static final Map<String, String> EXCHANGE_HOST = sections(
            "dynamicport/v4-exch-en-01.txt", "dynamicport/v6-en-constructed-exchange-01.txt",
            "excludedportrange/v4-en-04.txt", "excludedportrange/v6-en-constructed-exchange-01.txt",
            "netstat/ano-en-constructed-server2019-exchange-01.txt", "tasklist/svc-csv-en-constructed-exchange-01.txt");

    private FixtureSnapshot() {
    }

    private static Map<String, String> sections(String v4, String v6, String x4, String x6, String netstat,
            String tasklist) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("netsh-dynamicport-tcp-ipv4", v4);
        m.put("netsh-dynamicport-tcp-ipv6", v6);
        m.put("netsh-excludedportrange-tcp-ipv4", x4);
        m.put("netsh-excludedportrange-tcp-ipv6", x6);
        m.put("netstat-ano", netstat);
        m.put("tasklist-svc-csv", tasklist);
        return m;
    }

    /** The sections with {@code replaced} (section name → fixture path) put in, written to {@code dir}. */
    static String write(Path dir, Map<String, String> sections, Map<String, String> replaced) {
        Map<String, String> all = new LinkedHashMap<>(sections);
        all.putAll(replaced);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> e : all.entrySet()) {
                bytes.write(("#@section " + e.getKey() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                bytes.write(Files.readAllBytes(Path.of(FixtureSnapshot.class.getResource("/fixtures/" + e.getValue())
                        .toURI())));
            }
            Path file = Files.createTempFile(dir, "fixtures", ".snapshot");
            Files.write(file, bytes.toByteArray());
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(Path dir, Map<String, String> sections) {
        return write(dir, sections, Map.of());
    }
}
