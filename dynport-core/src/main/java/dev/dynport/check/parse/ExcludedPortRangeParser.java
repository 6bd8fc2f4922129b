package dev.dynport.check.parse;

import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.parse.Lines.Line;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code netsh int ipv4|ipv6 show excludedportrange protocol=tcp}.
 *
 * <pre>
 *   [anything: cmd banner, prompt + command echo, blank lines]
 *   Protocol tcp Port Exclusion Ranges           title: translated, names "tcp" (never "udp")
 *   [blank]
 *   Start Port    End Port                       column header: translated, not read
 *   ----------    --------                       rule: TWO runs of dashes (fr: 13 and 11 dashes)
 *         5985        5985                       rows: start, end, right-aligned (width varies with digits)
 *        50000       50059     *                 "*" = administered (added by an administrator)
 *   [blank, or a line holding one space]
 *   * - Administered port exclusions.            footer: translated, REQUIRED, starts with "*"
 *   [blank lines]
 *
 * de:  Portausschlussbereiche für das Protokoll "tcp" / Startport      Endport / * - Verwaltete Portausschlüsse.
 * fr:  Protocole tcp Plages d'exclusion de ports / Port de début    Port de fin / * - Exclusions de ports administrés.
 * zh:  协议 tcp 端口排除范围 / 开始端口    结束端口 / * - 管理的端口排除。
 * also seen: zero rows (rule, blank, footer); non-administered rows padded with 6 trailing spaces; every
 *            line indented (markdown, go test logs); blank lines dropped; runs of spaces collapsed to one
 * </pre>
 *
 * <p>Read: the numbers and the {@code *} of each row, by position. The rows are everything between the rule
 * and the footer. The footer is required: netsh always prints it, and it is the only way to tell a complete
 * table from one cut after any row, which could hide a Hyper-V reservation and turn into a wrong OK. After
 * stripping each line's outer blanks (a run of blanks is one separator, so alignment does not matter):
 * <pre>
 *   rule   = dashes{3,} blank+ dashes{3,}
 *   row    = port blank+ port [blank+ "*"]          port = ASCII digits, 1..65535, end &gt;= start
 *   footer = "*" blank* "-" blank+ text               text translated, not read
 * </pre>
 * A line is at most {@value #MAX_LINE} characters: every line seen is under 80, a prompt echo before the title
 * under MAX_PATH (260) plus the command.
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; a line over the bound; no
 * two-column rule (an error message, a single-dash rule means {@code show dynamicport}); no column header or
 * title above the rule; a title naming {@code udp} or not naming {@code tcp}; a line between rule and footer
 * that is not a row (truncated mid-row, two rows run together, the mark glued to a number, another table); a
 * port outside 1..65535 or an end below its start; a line starting with {@code *} that is not the footer; no
 * footer after the rows (truncated); any text after the footer.
 */
public final class ExcludedPortRangeParser {
    static final String COMMAND = "netsh show excludedportrange";

    static final int MAX_LINE = 1024;

    private ExcludedPortRangeParser() {
    }

    public static ExcludedRanges parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, MAX_LINE);
        int rule = findRule(lines);
        int header = previousNonBlank(lines, rule);
        if (header < 0) {
            throw new OutputFormatException(COMMAND, lines.get(rule).number(), lines.get(rule).text(),
                    "no column header above the rule");
        }
        if (Lines.namesUdp(lines.get(header).text())) {
            Lines.requireTcpTitle(COMMAND, lines.get(header));
        }
        int title = previousNonBlank(lines, header);
        if (title < 0) {
            throw new OutputFormatException(COMMAND, lines.get(header).number(), lines.get(header).text(),
                    "no title line naming protocol tcp above the column header");
        }
        Lines.requireTcpTitle(COMMAND, lines.get(title));

        List<ExcludedRange> ranges = new ArrayList<>();
        int footer = -1;
        for (int i = rule + 1; i < lines.size() && footer < 0; i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (line.text().charAt(0) == '*') {
                requireFooter(line);
                footer = i;
                continue;
            }
            ranges.add(row(line));
        }
        if (footer < 0) {
            Line last = lines.get(previousNonBlank(lines, lines.size()));
            throw new OutputFormatException(COMMAND, last.number(), last.text(),
                    "truncated: no footer line starting with '*' after the rows");
        }
        for (int i = footer + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (!line.isBlank()) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(), "unexpected text after the footer");
            }
        }
        return new ExcludedRanges(ranges);
    }

    /** {@code start end} or {@code start end *}, split on blanks. */
    private static ExcludedRange row(Line line) throws OutputFormatException {
        List<String> t = Lines.tokens(line.text());
        boolean shape = (t.size() == 2 || (t.size() == 3 && t.get(2).equals("*")))
                && Lines.isAsciiDigits(t.get(0)) && Lines.isAsciiDigits(t.get(1));
        if (!shape) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "expected a row 'start end [*]' or the footer starting with '*'");
        }
        int start = port(line, t.get(0));
        int end = port(line, t.get(1));
        if (end < start) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "end port below start port");
        }
        return new ExcludedRange(start, end, t.size() == 3);
    }

    private static int port(Line line, String digits) throws OutputFormatException {
        long value = Lines.value(digits);
        if (value < 1 || value > 65535) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "port out of range 1..65535");
        }
        return (int) value;
    }

    /** {@code * - text}: a cut footer or a row damaged into a leading {@code *} is not the end of the table. */
    private static void requireFooter(Line line) throws OutputFormatException {
        String s = line.text();
        int i = 1;
        while (i < s.length() && Lines.isBlankChar(s.charAt(i))) {
            i++;
        }
        int dash = i;
        i++;
        int blanks = i;
        while (i < s.length() && Lines.isBlankChar(s.charAt(i))) {
            i++;
        }
        if (dash >= s.length() || s.charAt(dash) != '-' || i == blanks || i >= s.length()) {
            throw new OutputFormatException(COMMAND, line.number(), s,
                    "a line starting with '*' that is not the footer '* - text'");
        }
    }

    private static int findRule(List<Line> lines) throws OutputFormatException {
        Line single = null;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int runs = Lines.ruleRuns(line.text(), '-');
            if (runs == 2) {
                return i;
            }
            if (single == null && runs == 1) {
                single = line;
            }
        }
        if (single != null) {
            throw new OutputFormatException(COMMAND, single.number(), single.text(),
                    "single-column rule: this is 'show dynamicport' output, not 'show excludedportrange'");
        }
        Line first = Lines.firstNonBlank(lines);
        throw new OutputFormatException(COMMAND, first.number(), first.text(),
                "no two-column dashed rule: not 'show excludedportrange' output");
    }

    /** Index of the nearest non-blank line before {@code index}, or -1. */
    private static int previousNonBlank(List<Line> lines, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }
}
