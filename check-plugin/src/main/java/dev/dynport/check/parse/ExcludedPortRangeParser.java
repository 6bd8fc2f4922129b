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
 * table from one cut after any row, which could hide a Hyper-V reservation and turn into a wrong OK.
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; no two-column rule (an error
 * message, a single-dash rule means {@code show dynamicport}); no column header or title above the rule; a
 * title naming {@code udp} or not naming {@code tcp}; a line between rule and footer that is not
 * {@code start end [*]} (truncated mid-row, or another table); a port outside 1..65535 or an end below its
 * start; no footer after the rows (truncated); any text after the footer.
 */
public final class ExcludedPortRangeParser {
    static final String COMMAND = "netsh show excludedportrange";

    /** Every line seen is under 80 characters; a prompt echo before the title stays under MAX_PATH plus the command. */
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

    /** {@code start end}, {@code start end *} or {@code start end*}, split on blanks, so alignment does not matter. */
    private static ExcludedRange row(Line line) throws OutputFormatException {
        List<String> t = Lines.tokens(line.text());
        boolean administered = false;
        String endToken = t.size() >= 2 ? t.get(1) : "";
        if (t.size() == 3 && t.get(2).equals("*")) {
            administered = true;
        } else if (t.size() == 2 && endToken.length() > 1 && endToken.endsWith("*")) {
            administered = true;
            endToken = endToken.substring(0, endToken.length() - 1);
        } else if (t.size() != 2) {
            endToken = "";
        }
        if (!Lines.isAsciiDigits(t.get(0)) || !Lines.isAsciiDigits(endToken)) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "expected a row 'start end [*]' or the footer starting with '*'");
        }
        long start = Lines.value(t.get(0));
        long end = Lines.value(endToken);
        if (start < 1 || start > 65535 || end < 1 || end > 65535) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "port out of range 1..65535");
        }
        if (end < start) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "end port below start port");
        }
        return new ExcludedRange((int) start, (int) end, administered);
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
