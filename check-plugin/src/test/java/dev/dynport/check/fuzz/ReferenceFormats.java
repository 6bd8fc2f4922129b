package dev.dynport.check.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference's reading of the four command outputs, written from the documented formats (parser javadocs,
 * /work/shared/domain.md section 4) without calling the product's parsers. It is deliberately strict where a
 * misread changes a number and lax where the product may legitimately be stricter (labels, titles beyond the
 * protocol token, address details): lax costs only an "over-strict" count, strict finds wrong OKs.
 * Each method returns the facts or throws {@link Unreadable} with the reason.
 */
final class ReferenceFormats {
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    record Range(int start, int count) {
        int end() {
            return start + count - 1;
        }
    }

    record Exclusion(int start, int end, boolean administered) {
    }

    record Endpoint(boolean ipv6, int localPort, boolean listener, long pid) {
    }

    record Process(long pid, String image, List<String> services) {
    }

    record Line(String text, boolean terminated) {
    }

    private ReferenceFormats() {
    }

    /** Lines split at CR, LF or CRLF, stripped of blanks (including NBSP, ideographic space, BOM). */
    static List<Line> lines(String text) throws Unreadable {
        List<Line> out = new ArrayList<>();
        int start = 0;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.add(new Line(strip(text.substring(start, i)), true));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(new Line(strip(text.substring(start)), false));
        }
        for (Line l : out) {
            any |= !l.text().isEmpty();
        }
        if (!any) {
            throw new Unreadable("empty output");
        }
        return out;
    }

    static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && blank(s.charAt(a))) {
            a++;
        }
        while (b > a && blank(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || blank(s.charAt(i))) {
                if (t.length() > 0) {
                    out.add(t.toString());
                    t.setLength(0);
                }
            } else {
                t.append(s.charAt(i));
            }
        }
        return out;
    }

    /**
     * The value of a run of ASCII digits (Windows prints no other digits), saturated far above any valid value
     * so that no sum overflows; -1 when the text is not such a run.
     */
    static long number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(100_000_000_000L, v * 10 + (c - '0'));
        }
        return v;
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

    /**
     * {@code netstat -ano}: rows start with TCP/TCPv6/UDP/UDPv6; TCP rows have five columns, UDP rows four; once
     * rows have begun nothing else may appear; at least one listener; the last row ended. Other lines before
     * the rows (title, header, prompt) are not read.
     */
    static List<Endpoint> netstat(String text) throws Unreadable {
        List<Line> lines = lines(text);
        List<Endpoint> out = new ArrayList<>();
        boolean inRows = false;
        Line last = null;
        for (Line line : lines) {
            if (line.text().isEmpty()) {
                continue;
            }
            last = line;
            List<String> t = tokens(line.text());
            String proto = t.get(0).toUpperCase(Locale.ROOT);
            if (proto.equals("TCP") || proto.equals("TCPV6")) {
                inRows = true;
                if (t.size() != 5) {
                    throw new Unreadable("TCP row with " + t.size() + " columns [" + line.text() + "]");
                }
                String[] local = address(t.get(1));
                String[] foreign = address(t.get(2));
                if (!local[0].startsWith("[") == foreign[0].startsWith("[")) {
                    throw new Unreadable("families differ [" + line.text() + "]");
                }
                boolean wildcard = foreign[1].equals("0") && (foreign[0].equals("0.0.0.0") || foreign[0].equals("[::]"));
                out.add(new Endpoint(local[0].startsWith("["), (int) number(local[1]),
                        wildcard || isListeningWord(t.get(3)), pid(t.get(4))));
            } else if (proto.equals("UDP") || proto.equals("UDPV6")) {
                inRows = true;
                if (t.size() != 4) {
                    throw new Unreadable("UDP row with " + t.size() + " columns [" + line.text() + "]");
                }
                address(t.get(1));
                pid(t.get(3));
            } else if (inRows) {
                throw new Unreadable("not a row [" + line.text() + "]");
            }
        }
        if (out.isEmpty() || out.stream().noneMatch(Endpoint::listener)) {
            throw new Unreadable("no TCP row, or no listener");
        }
        if (!last.terminated()) {
            throw new Unreadable("last row cut");
        }
        return out;
    }

    /** LISTENING, or German ABHÖREN in any mis-decoding: letters outside A-Z dropped before comparing. */
    private static boolean isListeningWord(String word) {
        StringBuilder key = new StringBuilder();
        for (char c : word.toUpperCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                key.append(c);
            }
        }
        String k = key.toString();
        return k.equals("LISTENING") || k.equals("LISTEN") || k.equals("ABHREN");
    }

    /** {host, port}: a.b.c.d or [v6(%zone)] and a port of ASCII digits up to 65535. */
    private static String[] address(String token) throws Unreadable {
        int colon = token.lastIndexOf(':');
        String host = colon > 0 ? token.substring(0, colon) : "";
        String port = colon > 0 ? token.substring(colon + 1) : "";
        long p = number(port);
        boolean v6 = host.matches("\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\\]]+)?\\]");
        boolean v4 = host.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
        if (p < 0 || p > 65535 || !(v4 || v6)) {
            throw new Unreadable("bad address [" + token + "]");
        }
        return new String[] {host, port};
    }

    private static long pid(String token) throws Unreadable {
        long pid = number(token);
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            throw new Unreadable("bad PID [" + token + "]");
        }
        return pid;
    }

    /**
     * {@code tasklist /svc /fo csv /nh}: records of three quoted fields; one header record (non-numeric PID) may
     * come first; anything else once records have begun is refused; a PID twice is refused. The "not available"
     * word is localized: a service field without a comma holding '/' or '\' is that word, and so is the field of
     * PID 0 and PID 4 (System Idle Process and System never host a service) and every field equal to it.
     */
    static List<Process> tasklist(String text) throws Unreadable {
        List<Long> pids = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        boolean inRecords = false;
        boolean header = false;
        for (Line line : lines(text)) {
            String t = line.text();
            if (t.isEmpty()) {
                continue;
            }
            if (t.charAt(0) != '"') {
                if (inRecords) {
                    throw new Unreadable("not a record [" + t + "]");
                }
                continue;
            }
            List<String> f = csv(t);
            long pid = number(strip(f.get(1)));
            if (pid < 0 && !inRecords && !header) {
                header = true;
                continue;
            }
            inRecords = true;
            if (pid < 0 || pid > Integer.MAX_VALUE || strip(f.get(0)).isEmpty() || pids.contains(pid)) {
                throw new Unreadable("bad or repeated PID, or no image [" + t + "]");
            }
            pids.add(pid);
            String services = strip(f.get(2));
            if ((pid == 0 || pid == 4) && !services.contains(",")) {
                placeholders.add(services);
            }
            rows.add(new String[] {strip(f.get(0)), services});
        }
        if (rows.isEmpty()) {
            throw new Unreadable("no process record");
        }
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String services = rows.get(i)[1];
            List<String> names = new ArrayList<>();
            if (!placeholders.contains(services)
                    && (services.contains(",") || !(services.contains("/") || services.contains("\\")))) {
                for (String s : services.split(",")) {
                    if (!strip(s).isEmpty()) {
                        names.add(strip(s));
                    }
                }
            }
            out.add(new Process(pids.get(i), rows.get(i)[0], names));
        }
        return out;
    }

    private static List<String> csv(String t) throws Unreadable {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i >= t.length() || t.charAt(i) != '"') {
                throw new Unreadable("unquoted field [" + t + "]");
            }
            StringBuilder f = new StringBuilder();
            for (i++; ; i++) {
                if (i >= t.length()) {
                    throw new Unreadable("unterminated field [" + t + "]");
                }
                if (t.charAt(i) == '"') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    f.append(t.charAt(i));
                }
            }
            fields.add(f.toString());
            i++;
            if (i == t.length()) {
                break;
            }
            if (t.charAt(i++) != ',') {
                throw new Unreadable("text after a closing quote [" + t + "]");
            }
        }
        if (fields.size() != 3) {
            throw new Unreadable(fields.size() + " fields [" + t + "]");
        }
        return fields;
    }
}
