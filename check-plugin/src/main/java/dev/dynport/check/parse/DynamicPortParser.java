package dev.dynport.check.parse;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.parse.Lines.Line;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code netsh int ipv4|ipv6 show dynamicport tcp}. The family is not printed; the caller knows it.
 *
 * <pre>
 *   [anything: cmd banner, prompt + command echo, blank lines]
 *   Protocol tcp Dynamic Port Range          title: translated, but names "tcp" (never "udp")
 *   ---------------------------------        rule: ONE run of dashes (33 in every capture seen)
 *   Start Port      : 49152                  1st "label : number" = start port
 *   Number of Ports : 16384                  2nd "label : number" = number of ports (a count)
 *   [blank lines]
 *
 * zh-CN:  协议 tcp 动态端口范围 / 启动端口        : 1024 / 端口数          : 13977
 * seen:   labels padded to a display width, or collapsed to "label : n" by web copies;
 *         an interactive "netsh interface ipv4&gt;show dynamicport tcp" echo above the title
 * </pre>
 *
 * <p>Labels are never read: the first value line after the rule is the start, the second the count. The
 * separator is {@code :} (or a full-width {@code ：}), the value a run of ASCII digits at the end of the line.
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; no single-dash rule (not
 * this command, or an error message instead of output); a two-column rule (that is {@code excludedportrange});
 * no title above the rule, or a title naming {@code udp} or not naming {@code tcp}; a line between the rule and
 * the second value that is not {@code label : number} (truncated or wrong command); a missing count (truncated);
 * start outside 1..65535; count below 1 or making the last port {@code start + count - 1} exceed 65535; any text
 * after the two values (two outputs run together, or something appended); a count line without a line end (the
 * text was cut, perhaps inside the number: {@code 59530} cut to {@code 595} would shrink the range).
 */
public final class DynamicPortParser {
    static final String COMMAND = "netsh show dynamicport";

    private static final Pattern RULE = Pattern.compile("-{3,}");
    private static final Pattern TWO_COLUMN_RULE = Pattern.compile("-{3,}\\s+-{3,}.*");
    private static final Pattern VALUE = Pattern.compile("(.*?\\S.*?)\\s*[:\uFF1A]\\s*([0-9]+)");

    private DynamicPortParser() {
    }

    public static DynamicRange parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text);
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
        long start = 0;
        long count = 0;
        for (int i = rule + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (countLine != null) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "unexpected text after the number of ports");
            }
            Matcher m = VALUE.matcher(line.text());
            if (!m.matches()) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "expected 'label : number' under the rule");
            }
            long value = Lines.value(m.group(2));
            if (startLine == null) {
                startLine = line;
                start = value;
                if (start < 1 || start > 65535) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "start port out of range 1..65535");
                }
            } else {
                countLine = line;
                count = value;
                if (count < 1) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "number of ports must be at least 1");
                }
                if (start + count - 1 > 65535) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "start " + start + " + number of ports - 1 exceeds 65535");
                }
            }
        }
        if (countLine == null) {
            Line last = startLine != null ? startLine : lines.get(rule);
            throw new OutputFormatException(COMMAND, last.number(), last.text(),
                    startLine == null ? "truncated: no start port under the rule" : "truncated: no number of ports");
        }
        Lines.requireLineEnd(COMMAND, countLine);
        return new DynamicRange((int) start, (int) count);
    }

    private static int findRule(List<Line> lines) throws OutputFormatException {
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (RULE.matcher(line.text()).matches()) {
                return i;
            }
            if (TWO_COLUMN_RULE.matcher(line.text()).matches()) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "two-column rule: this is 'show excludedportrange' output, not 'show dynamicport'");
            }
        }
        Line first = Lines.firstNonBlank(lines);
        throw new OutputFormatException(COMMAND, first.number(), first.text(),
                "no dashed rule line: not 'show dynamicport' output");
    }
}
