package dev.dynport.check.fuzz;

import static dev.dynport.check.fuzz.ReferenceFormats.lines;
import static dev.dynport.check.fuzz.ReferenceFormats.number;
import static dev.dynport.check.fuzz.ReferenceFormats.strip;
import static dev.dynport.check.fuzz.ReferenceFormats.tokens;

import dev.dynport.check.fuzz.ReferenceFormats.Exclusion;
import dev.dynport.check.fuzz.ReferenceFormats.Line;
import dev.dynport.check.fuzz.ReferenceFormats.Range;
import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference's reading of {@code netsh int ipv4|ipv6 show dynamicport tcp} and {@code show excludedportrange
 * protocol=tcp}: both open with a title that must name tcp alone and a rule of dashes.
 */
final class ReferenceNetsh {
    private ReferenceNetsh() {
    }

    private static boolean namesWord(String text, String word) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = lower.indexOf(word); i >= 0; i = lower.indexOf(word, i + 1)) {
            boolean before = i > 0 && isAsciiLetter(lower.charAt(i - 1));
            boolean after = i + word.length() < lower.length() && isAsciiLetter(lower.charAt(i + word.length()));
            if (!before && !after) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean dashes(String s) {
        return s.length() >= 3 && s.chars().allMatch(c -> c == '-');
    }

    private static void requireTcpTitle(String title) throws Unreadable {
        if (!namesWord(title, "tcp") || namesWord(title, "udp")) {
            throw new Unreadable("title does not name tcp alone [" + title + "]");
        }
    }

    /**
     * {@code netsh show dynamicport tcp}: a title naming tcp, a rule of dashes, then exactly two lines
     * {@code label : number} (one colon, the value nothing but digits), each ended, then only blank lines; a
     * range Windows can hold (start 1024..65535, at least 255 ports, last port at most 65535).
     */
    static Range dynamicPort(String text) throws Unreadable {
        List<Line> lines = lines(text);
        int rule = -1;
        for (int i = 0; i < lines.size() && rule < 0; i++) {
            if (dashes(lines.get(i).text())) {
                rule = i;
            }
        }
        if (rule < 0) {
            throw new Unreadable("no rule");
        }
        requireTcpTitle(previousNonBlank(lines, rule));
        List<Line> values = new ArrayList<>();
        for (int i = rule + 1; i < lines.size(); i++) {
            if (!lines.get(i).text().isEmpty()) {
                values.add(lines.get(i));
            }
        }
        if (values.size() != 2) {
            throw new Unreadable(values.size() + " lines under the rule, expected 2");
        }
        long start = value(values.get(0));
        long count = value(values.get(1));
        if (!values.get(1).terminated()) {
            throw new Unreadable("count line cut");
        }
        // KB929851: at least 255 ports, last port at most 65535; its lowest start, 1025, is 1024 in real captures
        if (start < 1024 || start > 65535 || count < 255 || start + count - 1 > 65535) {
            throw new Unreadable("range out of bounds " + start + " + " + count);
        }
        return new Range((int) start, (int) count);
    }

    private static long value(Line line) throws Unreadable {
        String t = line.text().replace('\uFF1A', ':');
        int colon = t.indexOf(':');
        if (colon <= 0 || colon != t.lastIndexOf(':') || strip(t.substring(0, colon)).isEmpty()) {
            throw new Unreadable("not 'label : number' [" + line.text() + "]");
        }
        long v = number(strip(t.substring(colon + 1)));
        if (v < 0) {
            throw new Unreadable("value not a number [" + line.text() + "]");
        }
        return v;
    }

    private static String previousNonBlank(List<Line> lines, int index) throws Unreadable {
        for (int i = index - 1; i >= 0; i--) {
            if (!lines.get(i).text().isEmpty()) {
                return lines.get(i).text();
            }
        }
        throw new Unreadable("nothing above line " + (index + 1));
    }

    /**
     * {@code netsh show excludedportrange protocol=tcp}: title naming tcp, column header, a two-column rule, rows
     * {@code start end [*]}, the footer (first line starting with '*'), then only blank lines.
     */
    static List<Exclusion> excludedPortRange(String text) throws Unreadable {
        List<Line> lines = lines(text);
        int rule = -1;
        for (int i = 0; i < lines.size() && rule < 0; i++) {
            List<String> t = tokens(lines.get(i).text());
            if (t.size() == 2 && dashes(t.get(0)) && dashes(t.get(1))) {
                rule = i;
            }
        }
        if (rule < 0) {
            throw new Unreadable("no two-column rule");
        }
        int header = rule - 1;
        while (header >= 0 && lines.get(header).text().isEmpty()) {
            header--;
        }
        if (header < 0 || namesWord(lines.get(header).text(), "udp")) {
            throw new Unreadable("no column header, or one naming udp");
        }
        requireTcpTitle(previousNonBlank(lines, header));
        List<Exclusion> rows = new ArrayList<>();
        int i = rule + 1;
        for (; i < lines.size(); i++) {
            String t = lines.get(i).text();
            if (t.isEmpty()) {
                continue;
            }
            if (t.charAt(0) == '*') {
                break;
            }
            rows.add(row(t));
        }
        if (i >= lines.size()) {
            throw new Unreadable("no footer");
        }
        for (i++; i < lines.size(); i++) {
            if (!lines.get(i).text().isEmpty()) {
                throw new Unreadable("text after the footer [" + lines.get(i).text() + "]");
            }
        }
        return rows;
    }

    private static Exclusion row(String text) throws Unreadable {
        List<String> t = new ArrayList<>(tokens(text));
        boolean administered = false;
        if (t.size() == 3 && t.get(2).equals("*")) {
            administered = true;
            t.remove(2);
        } else if (t.size() == 2 && t.get(1).length() > 1 && t.get(1).endsWith("*")) {
            administered = true;
            t.set(1, t.get(1).substring(0, t.get(1).length() - 1));
        }
        long start = t.size() == 2 ? number(t.get(0)) : -1;
        long end = t.size() == 2 ? number(t.get(1)) : -1;
        if (start < 1 || end < start || end > 65535) {
            throw new Unreadable("not a row 'start end [*]' [" + text + "]");
        }
        return new Exclusion((int) start, (int) end, administered);
    }
}
