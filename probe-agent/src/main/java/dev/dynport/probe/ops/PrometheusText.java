package dev.dynport.probe.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition format 0.0.4: for each metric name one {@code # HELP} and one {@code # TYPE} line,
 * then its samples, names in first-seen order.
 *
 * <pre>
 * # HELP dynport_port_state Confirmed health of a watched port: 0 healthy, 1 warning, 2 critical, 3 unknown.
 * # TYPE dynport_port_state gauge
 * dynport_port_state{family="ipv4",host="exch01",label="POP3 back-end",port="9955"} 2
 * </pre>
 *
 * Label values escape {@code \}, {@code "} and newline; HELP text escapes {@code \} and newline. Names and label
 * names that break the grammar have their bad characters replaced by '_' rather than producing an unparseable
 * page. Labels are printed sorted by name, so the page is stable.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern BAD_NAME_CHAR = Pattern.compile("[^a-zA-Z0-9_:]");
    private static final Pattern BAD_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    private PrometheusText() {
    }

    public static String render(List<Metric> metrics) {
        Map<String, List<Metric>> byName = new LinkedHashMap<>();
        for (Metric m : metrics) {
            byName.computeIfAbsent(name(m.name(), BAD_NAME_CHAR), k -> new ArrayList<>()).add(m);
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<Metric>> e : byName.entrySet()) {
            Metric first = e.getValue().get(0);
            b.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(first.help())).append('\n');
            b.append("# TYPE ").append(e.getKey()).append(' ').append(type(first.type())).append('\n');
            for (Metric m : e.getValue()) {
                b.append(e.getKey());
                if (!m.labels().isEmpty()) {
                    b.append('{');
                    boolean comma = false;
                    for (Map.Entry<String, String> l : new TreeMap<>(m.labels()).entrySet()) {
                        if (comma) {
                            b.append(',');
                        }
                        comma = true;
                        b.append(name(l.getKey(), BAD_LABEL_CHAR)).append("=\"").append(escapeLabelValue(l.getValue()))
                                .append('"');
                    }
                    b.append('}');
                }
                b.append(' ').append(value(m.value())).append('\n');
            }
        }
        return b.toString();
    }

    static String escapeLabelValue(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String type(String t) {
        return switch (t) {
            case "counter", "gauge", "histogram", "summary" -> t;
            default -> "untyped";
        };
    }

    private static String name(String n, Pattern bad) {
        String s = bad.matcher(n).replaceAll("_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }
}
