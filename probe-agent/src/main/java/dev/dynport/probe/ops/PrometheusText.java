package dev.dynport.probe.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The bridge from the agent's own {@link Metric}s to the Prometheus Java client's model, whose text writer does
 * the exposition format 0.0.4 (escaping, HELP/TYPE lines, number format):
 *
 * <pre>
 * # HELP dynport_port_state Confirmed health of a watched port: 0 healthy, 1 warning, 2 critical, 3 unknown.
 * # TYPE dynport_port_state gauge
 * dynport_port_state{family="ipv4",host="exch01",label="POP3 back-end",port="9955"} 2
 * </pre>
 *
 * Names stay exactly as the sources give them (dashboards and scripts grep them): samples of one name from every
 * source become one family, with the first sample's help and type. The client appends {@code _total} to a counter
 * family's name, so a "counter" whose name lacks it is served untyped under its own name rather than renamed.
 * Characters outside the Prometheus name grammar become '_' (a leading digit gets a '_' prefix), as before the
 * client was used. A sample the model refuses (a negative counter, a reserved label name such as {@code __x}, a
 * label set seen before under the same name) is left out and logged, so one bad sample never takes the page down.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final Logger LOG = Logger.getLogger(PrometheusText.class.getName());
    private static final Pattern BAD_NAME_CHAR = Pattern.compile("[^a-zA-Z0-9_:]");
    private static final Pattern BAD_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusText() {
    }

    public static String render(List<Metric> metrics) {
        return write(snapshots(metrics));
    }

    /** The page for {@code snapshots}: the client's text writer, with integral values kept integral (see below). */
    public static String write(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WRITER.write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return integralValues(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The client writes every value with {@code Double.toString} ({@code 2.0}, {@code 1.23456789E8}); the agent
     * has always served integral values below 10^15 as integers ({@code 2}), and scripts grep lines such as
     * {@code port="9955"} 2}. Both are valid exposition, so the page stays as it was. A sample line ends in
     * {@code SP value} (no timestamps are written), and a value has no space, so the last space starts it.
     */
    static String integralValues(String page) {
        StringBuilder b = new StringBuilder(page.length());
        int start = 0;
        while (start < page.length()) {
            int end = page.indexOf('\n', start);
            end = end < 0 ? page.length() : end + 1;
            String line = page.substring(start, end);
            int sp = line.lastIndexOf(' ');
            if (!line.startsWith("#") && sp > 0) {
                String v = line.substring(sp + 1).strip();
                b.append(line, 0, sp + 1).append(integral(v)).append(line, sp + 1 + v.length(), line.length());
            } else {
                b.append(line);
            }
            start = end;
        }
        return b.toString();
    }

    private static String integral(String value) {
        try {
            double d = Double.parseDouble(value);
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : value;
        } catch (NumberFormatException e) {
            return value; // NaN, +Inf, -Inf
        }
    }

    public static MetricSnapshots snapshots(List<Metric> metrics) {
        Map<String, List<Metric>> byName = new LinkedHashMap<>();
        for (Metric m : metrics) {
            byName.computeIfAbsent(name(m.name(), BAD_NAME_CHAR), k -> new ArrayList<>()).add(m);
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        byName.forEach((name, samples) -> {
            MetricSnapshot s = family(name, samples);
            if (s != null) {
                all.metricSnapshot(s);
            }
        });
        return all.build();
    }

    private static MetricSnapshot family(String name, List<Metric> samples) {
        Metric first = samples.get(0);
        String type = first.type();
        if (type.equals("counter") && !name.endsWith("_total")) {
            type = "untyped";
        }
        MetricMetadata meta;
        try {
            meta = new MetricMetadata(name, first.help());
        } catch (IllegalArgumentException e) {
            LOG.warning("metric " + name + " left out: " + e.getMessage());
            return null;
        }
        Set<Map<String, String>> seen = new HashSet<>();
        List<CounterSnapshot.CounterDataPointSnapshot> counters = new ArrayList<>();
        List<GaugeSnapshot.GaugeDataPointSnapshot> gauges = new ArrayList<>();
        List<UnknownSnapshot.UnknownDataPointSnapshot> unknowns = new ArrayList<>();
        for (Metric m : samples) {
            Map<String, String> sorted = new TreeMap<>();
            m.labels().forEach((k, v) -> sorted.put(name(k, BAD_LABEL_CHAR), v));
            if (!seen.add(sorted)) {
                LOG.warning("metric " + name + " left out a repeated label set " + sorted.keySet());
                continue;
            }
            try {
                Labels labels = labels(sorted);
                switch (type) {
                    case "counter" -> counters.add(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(labels).value(m.value()).build());
                    case "gauge" -> gauges.add(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(labels).value(m.value()).build());
                    default -> unknowns.add(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                            .labels(labels).value(m.value()).build());
                }
            } catch (IllegalArgumentException e) {
                LOG.warning("metric " + name + " left out a sample: " + e.getMessage());
            }
        }
        return switch (type) {
            case "counter" -> new CounterSnapshot(meta, counters);
            case "gauge" -> new GaugeSnapshot(meta, gauges);
            default -> new UnknownSnapshot(meta, unknowns);
        };
    }

    private static Labels labels(Map<String, String> sorted) {
        Labels.Builder b = Labels.builder();
        sorted.forEach(b::label);
        return b.build();
    }

    private static String name(String n, Pattern bad) {
        String s = bad.matcher(n).replaceAll("_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }
}
