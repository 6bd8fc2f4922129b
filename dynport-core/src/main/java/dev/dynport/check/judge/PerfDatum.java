package dev.dynport.check.judge;

import java.util.List;
import java.util.StringJoiner;

/**
 * One performance value with a stable label (documented in the README), and optionally the warn, crit, min and
 * max fields of the Monitoring Plugins format ({@code ""} where absent: the range in guideline syntax, the bounds
 * as numbers).
 */
public record PerfDatum(String label, long value, String unit, String warn, String crit, String min, String max) {

    public PerfDatum {
        if (warn == null || crit == null || min == null || max == null) {
            throw new IllegalArgumentException("absent perfdata fields are empty strings, not null");
        }
    }

    /** A value without thresholds or bounds: {@code label=value[uom]}. */
    public PerfDatum(String label, long value, String unit) {
        this(label, value, unit, "", "", "", "");
    }

    /**
     * The Nagios perfdata item {@code 'label'=value[uom][;warn;crit;min;max]}, the label quoted only where needed:
     * what the CLI prints after {@code |} and what the agent's passive results carry, item by item. Trailing empty
     * fields are left out, inner ones stay empty ({@code x=5;;10;0;100}).
     */
    public String nagiosItem() {
        String item = nagiosLabel(label) + "=" + value + unit;
        String[] fields = {warn, crit, min, max};
        int last = fields.length - 1;
        while (last >= 0 && fields[last].isEmpty()) {
            last--;
        }
        StringBuilder sb = new StringBuilder(item);
        for (int i = 0; i <= last; i++) {
            sb.append(';').append(fields[i]);
        }
        return sb.toString();
    }

    /** The items joined by a blank: the whole perfdata part of a plugin output. */
    public static String nagios(List<PerfDatum> data) {
        StringJoiner items = new StringJoiner(" ");
        for (PerfDatum d : data) {
            items.add(d.nagiosItem());
        }
        return items.toString();
    }

    static String nagiosLabel(String label) {
        String l = label.replace("\n", " ").replace("\r", " ");
        if (l.indexOf(' ') >= 0 || l.indexOf('=') >= 0 || l.indexOf('\'') >= 0 || l.indexOf('|') >= 0) {
            return "'" + l.replace("'", "''").replace("|", "/") + "'";
        }
        return l;
    }
}
