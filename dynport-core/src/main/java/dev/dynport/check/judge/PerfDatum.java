package dev.dynport.check.judge;

import java.util.List;
import java.util.StringJoiner;

/** One performance value with a stable label (documented in the README). */
public record PerfDatum(String label, long value, String unit) {

    /**
     * The Nagios perfdata item {@code 'label'=value[uom]}, the label quoted only where needed: what the CLI prints
     * after {@code |} and what the agent's passive results carry, item by item.
     */
    public String nagiosItem() {
        return nagiosLabel(label) + "=" + value + unit;
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
