package dev.dynport.check.parse;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.parse.Lines.Line;
import java.util.List;

/**
 * Reads {@code netsh int ipv4|ipv6 show dynamicport tcp}. The family is not printed; the caller knows it.
 *
 * <pre>
 *   [anything: cmd banner, prompt + command echo, blank lines]
 *   Protocol tcp Dynamic Port Range          title: translated, but names "tcp" (never "udp")
 *   ---------------------------------        rule: ONE run of dashes (33 in every capture seen)
 *   Start Port      : 49152                  1st value line = start port
 *   Number of Ports : 16384                  2nd value line = number of ports (a count)
 *   [blank lines]
 *
 * zh-CN:  协议 tcp 动态端口范围 / 启动端口        : 1024 / 端口数          : 13977
 * seen:   labels padded to a display width, or collapsed to "label : n" by web copies;
 *         an interactive "netsh interface ipv4&gt;show dynamicport tcp" echo above the title
 * </pre>
 *
 * <p>A value line, after stripping the line's outer blanks, is exactly
 * <pre>
 *   value-line = label blank* separator blank* digits
 *   label      = one or more characters, at least one a letter, none a separator or a digit (any script)
 *   separator  = ":" | "：" (U+FF1A, full width)        exactly one in the line
 *   digits     = 1 to 5 ASCII digits                     the line ends with them
 * </pre>
 * Labels are never compared with words: the first value line after the rule is the start, the second the
 * count. The exact shape is what makes a damaged line visible: {@code Number of Ports : 59:530} (one flipped
 * byte) and {@code Number of Ports : 1 Start Port : 7 Number of Ports : 3500} (lines run together) each hold
 * two separators, and reading either by its last number would turn a warning into OK. No netsh label holds a
 * digit, so one that does leaves no way to tell where the number begins. A line is at most
 * {@value #MAX_LINE} characters: every netsh line seen is under 60, a prompt echo before the title under
 * MAX_PATH (260) plus the command.
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; a line over the bound; no
 * single-dash rule (not this command, or an error message instead of output); a two-column rule (that is
 * {@code excludedportrange}); no title above the rule, or a title naming {@code udp} or not naming {@code tcp};
 * a line between the rule and the second value that is not a value line (truncated or wrong command); a
 * missing count (truncated); a value netsh never prints (below); any text after the two values (two outputs run
 * together, or something appended); a count line without a line end (the text was cut, perhaps inside the
 * number: {@code 59530} cut to {@code 595} would shrink the range).
 *
 * <p>Values netsh never prints are refused, because a damaged number that still parses moves the range: a count
 * of 30 would leave every Exchange port outside it and read as OK. KB929851 ("The default dynamic port range for
 * TCP/IP has changed since Windows Vista and in Windows Server 2008",
 * https://learn.microsoft.com/troubleshoot/windows-server/networking/default-dynamic-port-range-tcpip-chang)
 * gives the limits of {@code netsh int ipv4 set dynamicport}: at least 255 ports, a start of at least 1025, and a
 * last port {@code start + count - 1} of at most 65535. The count and end limits are enforced as written. The
 * start limit is 1024, not 1025: real captures print {@code Start Port : 1024} (a GitHub Actions image after the
 * Visual Studio installer, 1024 + 64511 ports; a zh-CN Windows 10 1909 host, 1024 + 13977 ports), so Windows
 * does hold 1024 however it got there, and refusing it would make a real host UNKNOWN. Below 1024 are the
 * well-known ports, which no capture or document shows in the range.
 */
public final class DynamicPortParser {
    static final String COMMAND = "netsh show dynamicport";
    static final int MAX_LINE = 1024;
    private static final int MAX_DIGITS = 5;

    private DynamicPortParser() {
    }

    public static DynamicRange parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, MAX_LINE);
        int rule = findRule(lines);
        Line title = null;
        for (int i = rule - 1; i >= 0 && title == null; i--) {
            if (!lines.get(i).isBlank()) {
                title = lines.get(i);
            }
        }
        if (title == null) {
            throw new OutputFormatException(COMMAND, lines.get(rule).number(), lines.get(rule).text(),
                    "no title line above the dashed rule");
        }
        Lines.requireTcpTitle(COMMAND, title);

        Line startLine = null;
        Line countLine = null;
        int start = 0;
        int count = 0;
        for (int i = rule + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (countLine != null) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "unexpected text after the number of ports");
            }
            int value = value(line.text(), line.number());
            if (startLine == null) {
                startLine = line;
                start = value;
                if (start < DynamicRange.MIN_START) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(), "start port " + start
                            + " is below " + DynamicRange.MIN_START + ", the lowest start netsh prints");
                }
            } else {
                countLine = line;
                count = value;
                if (count < DynamicRange.MIN_COUNT) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(), "number of ports " + count
                            + " is below netsh's minimum of " + DynamicRange.MIN_COUNT + " (KB929851)");
                }
                if (count > DynamicRange.MAX_END + 1 - start) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(), "last port " + start + " + "
                            + count + " - 1 = " + (start + count - 1) + " exceeds " + DynamicRange.MAX_END);
                }
            }
        }
        if (countLine == null) {
            Line last = startLine != null ? startLine : lines.get(rule);
            throw new OutputFormatException(COMMAND, last.number(), last.text(),
                    startLine == null ? "truncated: no start port under the rule" : "truncated: no number of ports");
        }
        Lines.requireLineEnd(COMMAND, countLine);
        return new DynamicRange(start, count);
    }

    /**
     * The number of a value line (see the class comment), read in one pass from its end: the digits, the
     * blanks, the separator, then every label character is looked at once. Values above 65535 are refused.
     */
    static int value(CharSequence s, int lineNumber) throws OutputFormatException {
        int n = s.length();
        int digits = n;
        while (digits > 0 && Lines.isAsciiDigit(s.charAt(digits - 1))) {
            digits--;
        }
        if (digits == n) {
            throw refuse(s, lineNumber, "expected 'label : number' under the rule");
        }
        int sep = digits;
        while (sep > 0 && Lines.isBlankChar(s.charAt(sep - 1))) {
            sep--;
        }
        if (sep == 0 || !isSeparator(s.charAt(sep - 1))) {
            throw refuse(s, lineNumber, "expected 'label : number' under the rule");
        }
        boolean letter = false;
        for (int i = 0; i < sep - 1; i++) {
            char c = s.charAt(i);
            if (isSeparator(c)) {
                throw refuse(s, lineNumber, "two ':' separators in one value line: a damaged number or two lines"
                        + " run together");
            }
            if (Character.isDigit(c)) {
                throw refuse(s, lineNumber, "a digit in the label: where the number begins is ambiguous");
            }
            letter |= Character.isLetter(c);
        }
        if (!letter) {
            throw refuse(s, lineNumber, "expected 'label : number' under the rule");
        }
        if (n - digits > MAX_DIGITS) {
            throw refuse(s, lineNumber, "number has " + (n - digits) + " digits, no port or count has more than "
                    + MAX_DIGITS);
        }
        int value = 0;
        for (int i = digits; i < n; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        if (value > 65535) {
            throw refuse(s, lineNumber, "number " + value + " above 65535");
        }
        return value;
    }

    private static boolean isSeparator(char c) {
        return c == ':' || c == '\uFF1A';
    }

    private static OutputFormatException refuse(CharSequence s, int lineNumber, String reason) {
        return new OutputFormatException(COMMAND, lineNumber, s.toString(), reason);
    }

    private static int findRule(List<Line> lines) throws OutputFormatException {
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int runs = Lines.ruleRuns(line.text(), '-');
            if (runs == 1) {
                return i;
            }
            if (runs > 1) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "two-column rule: this is 'show excludedportrange' output, not 'show dynamicport'");
            }
        }
        Line first = Lines.firstNonBlank(lines);
        throw new OutputFormatException(COMMAND, first.number(), first.text(),
                "no dashed rule line: not 'show dynamicport' output");
    }
}
