package dev.dynport.check.fuzz;

import dev.dynport.check.fuzz.ReferenceFormats.Line;
import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reference's reading of the optional sections that tell which back-end ports a host uses: {@code sc.exe qc}
 * and {@code sc.exe queryex} of each back-end, and the capture script's {@code exchange-popimap-settings}. Written
 * from the documented shapes (docs/parsers.md, the parsers' javadocs, domain.md section 2), not from the product's
 * code. Unlike the four required outputs, an optional section the reference cannot read counts as absent (that is
 * what the product does), which can only keep more ports judged: so here the reference must read at least what a
 * correct reading accepts, and refuses only what no correct reading would take (a number that disagrees with its
 * constant, a cut line, two answers in one output).
 */
final class ReferenceServices {
    static final String POP3 = "MSExchangePOP3BE";
    static final String IMAP4 = "MSExchangeIMAP4BE";
    static final String SETTINGS = "exchange-popimap-settings";
    /** sc.exe start types and states: the number is printed before the constant and must agree with it. */
    private static final Map<String, Integer> START = Map.of("BOOT_START", 0, "SYSTEM_START", 1, "AUTO_START", 2,
            "DEMAND_START", 3, "DISABLED", 4);
    private static final Map<String, Integer> STATE = Map.of("STOPPED", 1, "START_PENDING", 2, "STOP_PENDING", 3,
            "RUNNING", 4, "CONTINUE_PENDING", 5, "PAUSE_PENDING", 6, "PAUSED", 7);
    /** No line of these outputs comes near this; the product refuses longer ones, and so does the reference. */
    private static final int MAX_LINE = 4096;

    /** One sc.exe answer: an error code (1060 not installed, 5 access denied), or the constant it printed. */
    record Sc(int error, String constant) {
    }

    private ReferenceServices() {
    }

    static String qcSection(String service) {
        return "sc-qc-" + service.toLowerCase(Locale.ROOT);
    }

    static String queryexSection(String service) {
        return "sc-queryex-" + service.toLowerCase(Locale.ROOT);
    }

    /** {@code sc qc NAME}: optional {@code [SC]} header, {@code label: NAME}, one {@code n CONSTANT} start type. */
    static Sc qc(String text, String service) throws Unreadable {
        List<Line> lines = lines(text);
        int first = next(lines, 0);
        Sc failed = failure(lines, first);
        if (failed != null) {
            return failed;
        }
        int name = lines.get(first).text().startsWith("[SC]") ? next(lines, first + 1) : first;
        requireName(lines, name, service);
        String found = null;
        for (int i = name + 1; i < lines.size(); i++) {
            Line l = lines.get(i);
            List<String> pair = pair(l);
            if (l.text().startsWith("[SC]")) {
                throw new Unreadable("[SC] line after the name");
            }
            if (pair == null || !START.containsKey(pair.get(1))) {
                continue;
            }
            if (ReferenceFormats.number(pair.get(0)) != START.get(pair.get(1))) {
                throw new Unreadable("start type number disagrees [" + l.text() + "]");
            }
            boolean delayed = pair.size() == 3 && pair.get(1).equals("AUTO_START") && pair.get(2).equals("(DELAYED)");
            if ((pair.size() > 2 && !delayed) || found != null || !l.terminated()) {
                throw new Unreadable("start type line extra, second or cut [" + l.text() + "]");
            }
            found = pair.get(1);
        }
        if (found == null) {
            throw new Unreadable("no start type");
        }
        return new Sc(0, found);
    }

    /** {@code sc queryex NAME}: {@code label: NAME}, one {@code n STATE} line, the PID the one bare-number field. */
    static Sc queryex(String text, String service) throws Unreadable {
        List<Line> lines = lines(text);
        int first = next(lines, 0);
        Sc failed = failure(lines, first);
        if (failed != null) {
            return failed;
        }
        requireName(lines, first, service);
        String state = null;
        Line pid = null;
        for (int i = first + 1; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.text().startsWith("[SC]")) {
                throw new Unreadable("[SC] line after the name");
            }
            String value = value(l.text());
            if (value != null && ReferenceFormats.number(value) >= 0) {
                if (pid != null) {
                    throw new Unreadable("two bare-number fields");
                }
                pid = l;
                continue;
            }
            List<String> pair = pair(l);
            if (pair == null || !STATE.containsKey(pair.get(1))) {
                continue;
            }
            if (ReferenceFormats.number(pair.get(0)) != STATE.get(pair.get(1)) || pair.size() > 2 || state != null
                    || !l.terminated()) {
                throw new Unreadable("state line disagrees, extra, second or cut [" + l.text() + "]");
            }
            state = pair.get(1);
        }
        if (state == null) {
            throw new Unreadable("no state");
        }
        if (state.equals("RUNNING") && (pid == null || !pid.terminated()
                || ReferenceFormats.number(value(pid.text())) > Integer.MAX_VALUE)) {
            throw new Unreadable("RUNNING without a whole PID");
        }
        return new Sc(0, state);
    }

    /**
     * The settings lines {@code SERVICE ProxyTargetPort PORT}, both back-ends once each; a lone {@code UNAVAILABLE}
     * line gives no ports; anything else ({@code ERROR}, a cut line) is unreadable.
     */
    static Map<String, Integer> settings(String text) throws Unreadable {
        List<Line> lines = lines(text);
        Map<String, Integer> ports = new HashMap<>();
        int unavailable = 0;
        int content = 0;
        Line last = null;
        for (Line l : lines) {
            if (l.text().isEmpty()) {
                continue;
            }
            content++;
            last = l;
            List<String> t = ReferenceFormats.tokens(l.text());
            if (t.get(0).equals("UNAVAILABLE")) {
                unavailable++;
                continue;
            }
            long port = t.size() == 3 && t.get(1).equals("ProxyTargetPort") ? ReferenceFormats.number(t.get(2)) : -1;
            if (!(t.get(0).equals(POP3) || t.get(0).equals(IMAP4)) || port < 1 || port > 65535
                    || ports.put(t.get(0), (int) port) != null) {
                throw new Unreadable("not one 'SERVICE ProxyTargetPort PORT' line per back-end [" + l.text() + "]");
            }
        }
        if (!last.terminated() || (unavailable > 0 && content > 1) || (unavailable == 0 && ports.size() != 2)) {
            throw new Unreadable("cut, or UNAVAILABLE not alone, or a back-end missing");
        }
        return ports;
    }

    /** The stripped lines; a raw line (blanks included) over {@link #MAX_LINE} characters is refused. */
    private static List<Line> lines(String text) throws Unreadable {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '\r' || text.charAt(i) == '\n' ? 0 : run + 1;
            if (run > MAX_LINE) {
                throw new Unreadable("line over " + MAX_LINE);
            }
        }
        return ReferenceFormats.lines(text);
    }

    private static int next(List<Line> lines, int from) throws Unreadable {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).text().isEmpty()) {
                return i;
            }
        }
        throw new Unreadable("nothing after line " + from);
    }

    /**
     * A failure ({@code [SC] ... FAILED 1060:}, FAILED in any language) as the first line: its code; then nothing
     * that looks like sc's own output may follow. Null when the first line is no failure.
     */
    private static Sc failure(List<Line> lines, int first) throws Unreadable {
        long code = failureCode(lines.get(first).text());
        if (code < 0) {
            return null;
        }
        if (code < 1 || code > Integer.MAX_VALUE) {
            throw new Unreadable("error code out of range");
        }
        for (int i = first + 1; i < lines.size(); i++) {
            if (failureCode(lines.get(i).text()) >= 0 || pair(lines.get(i)) != null) {
                throw new Unreadable("sc output after a failure");
            }
        }
        return new Sc((int) code, null);
    }

    private static long failureCode(String t) {
        if (!t.startsWith("[SC]") || !t.endsWith(":")) {
            return -1;
        }
        int start = t.length() - 1;
        while (start > 0 && t.charAt(start - 1) >= '0' && t.charAt(start - 1) <= '9') {
            start--;
        }
        return start < t.length() - 1 && ReferenceFormats.blank(t.charAt(start - 1))
                ? ReferenceFormats.number(t.substring(start, t.length() - 1)) : -1;
    }

    private static void requireName(List<Line> lines, int at, String service) throws Unreadable {
        String t = lines.get(at).text();
        String value = t.startsWith("[SC]") ? null : value(t);
        if (value == null || !value.equalsIgnoreCase(service)) {
            throw new Unreadable("not the name line of " + service + " [" + t + "]");
        }
    }

    /** After the first ':' (or U+FF1A) of a line with a non-blank label; null otherwise. */
    private static String value(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ':' || t.charAt(i) == '\uFF1A') {
                return ReferenceFormats.strip(t.substring(0, i)).isEmpty() ? null : ReferenceFormats.strip(t.substring(i + 1));
            }
        }
        return null;
    }

    /** The tokens of a field whose value is a number then a word ({@code 3   DEMAND_START}); null otherwise. */
    private static List<String> pair(Line l) {
        String value = value(l.text());
        List<String> t = value == null ? List.of() : ReferenceFormats.tokens(value);
        return t.size() >= 2 && ReferenceFormats.number(t.get(0)) >= 0 ? t : null;
    }
}
