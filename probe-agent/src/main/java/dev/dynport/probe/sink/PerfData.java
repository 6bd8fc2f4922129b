package dev.dynport.probe.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Nagios perfdata string into its items: {@code 'label with spaces'=1;2;3 other=4} →
 * {@code ['label with spaces'=1;2;3, other=4]}. Quoted labels may contain spaces and {@code ''} (an escaped
 * quote); items are separated by runs of whitespace outside quotes.
 */
final class PerfData {
    private PerfData() {
    }

    static List<String> split(String perfdata) {
        List<String> items = new ArrayList<>();
        if (perfdata == null) {
            return items;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < perfdata.length(); i++) {
            char c = perfdata.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a quoted label toggles twice: stays quoted, both quotes kept
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    items.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            items.add(cur.toString());
        }
        return items;
    }
}
