package dev.dynport.check.parse;

import dev.dynport.check.util.Text;
import dev.dynport.check.parse.Lines.Line;
import java.util.List;
import java.util.Locale;

/**
 * What {@link ScQcParser} and {@link ScQueryExParser} share: sc.exe's labels are translated (the Portuguese
 * {@code NOME_DO_SERVIÇO}, {@code ESTADO}, the German {@code STATUS}), its numbers and the C constant names
 * after them are not, and its failures keep the {@code [SC]} prefix and the trailing {@code code:}. So a line
 * is recognised by its value, never by its label:
 * <pre>
 *   failure-line = "[SC]" text blank digits ":"        e.g. [SC] OpenService FAILED 1060:  ([SC] OpenService 실패 1060:)
 *   field-line   = label ":" blank* value               label: no ':' (or U+FF1A), not blank
 *   pair-value   = digits blank+ CONSTANT [blank+ "(" WORD ")"]
 * </pre>
 * The label is what comes before the first ':' of a line (no sc label holds one; a value may, as in
 * {@code C:\Program Files}).
 */
final class ScOutput {
    /** Longest line read: a binary path (MAX_PATH and arguments) fits many times over. */
    static final int MAX_LINE = 4096;
    /** A Windows error code is a DWORD: at most 10 digits. */
    private static final int MAX_CODE_DIGITS = 10;

    private ScOutput() {
    }

    /** The lines of sc's output; refuses empty text and over-long lines. */
    static List<Line> split(String command, String text) throws OutputFormatException {
        return Lines.split(command, text, MAX_LINE);
    }

    static boolean isScLine(Line line) {
        return line.text().startsWith("[SC]");
    }

    /**
     * The error code of a failure line ({@code [SC] ... FAILED 1060:}), or -1 when the line is not one. The word
     * FAILED may be translated; the code is the last blank-separated token, digits and a colon.
     */
    static long failureCode(Line line) {
        String t = line.text();
        if (!isScLine(line) || !t.endsWith(":")) {
            return -1;
        }
        int end = t.length() - 1;
        int start = end;
        while (start > 0 && Lines.isAsciiDigit(t.charAt(start - 1))) {
            start--;
        }
        if (start == end || start == 0 || !Lines.isBlankChar(t.charAt(start - 1))) {
            return -1;
        }
        if (end - start > MAX_CODE_DIGITS) {
            return Lines.TOO_BIG;
        }
        return Lines.value(t.substring(start, end));
    }

    /**
     * If the first non-blank line is a failure line, its checked error code; else 0. After a failure sc prints
     * the system's message for the code (translated, any text, sometimes a second {@code [SC]} line such as
     * {@code [SC] GetServiceConfig needs 500 bytes}); a second failure line or a number-and-constant line there
     * means two outputs run together, and is refused.
     */
    static int failure(String command, List<Line> lines, int first) throws OutputFormatException {
        Line line = lines.get(first);
        long code = failureCode(line);
        if (code < 0) {
            return 0;
        }
        if (code < 1 || code > Integer.MAX_VALUE) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "error code " + (code == Lines.TOO_BIG ? "with more than " + MAX_CODE_DIGITS + " digits" : code)
                            + " out of range 1.." + Integer.MAX_VALUE);
        }
        for (int i = first + 1; i < lines.size(); i++) {
            Line later = lines.get(i);
            if (failureCode(later) >= 0 || pair(later) != null) {
                throw new OutputFormatException(command, later.number(), later.text(),
                        "sc output after the failure line [" + clip(line.text()) + "]: two outputs run together");
            }
        }
        return (int) code;
    }

    /**
     * The value of a field line (after its first ':', or full-width U+FF1A as some East Asian translations of
     * other tools print it, stripped), or null when the line has no separator or nothing before it.
     */
    static String value(String text) {
        int colon = -1;
        for (int i = 0; i < text.length() && colon < 0; i++) {
            if (text.charAt(i) == ':' || text.charAt(i) == '\uFF1A') {
                colon = i;
            }
        }
        return colon > 0 && !Lines.strip(text, 0, colon).isEmpty() ? Lines.strip(text, colon + 1, text.length()) : null;
    }

    /**
     * Checks that the line names the expected service: {@code <label>: <name>}, the name compared without case
     * (Windows service names are case-insensitive). Another name means another command's output.
     */
    static void requireServiceName(String command, Line line, String expected) throws OutputFormatException {
        String value = isScLine(line) ? null : value(line.text());
        if (value == null || value.isEmpty()) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "expected the service name line ('SERVICE_NAME: " + expected + "', label in any language)");
        }
        if (!value.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT))) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "names service [" + clip(value) + "], expected [" + expected + "]: the output of another command");
        }
    }

    /**
     * The value tokens of a field line whose value starts with a number followed by a word; null for any other
     * line. {@code 3   DEMAND_START} gives [3, DEMAND_START]; {@code 0  (0x0)} gives null.
     */
    static List<String> pair(Line line) {
        String value = value(line.text());
        if (value == null || value.isEmpty() || !Lines.isAsciiDigit(value.charAt(0))) {
            return null;
        }
        List<String> tokens = Lines.tokens(value);
        return tokens.size() >= 2 && Lines.isAsciiDigits(tokens.get(0)) ? tokens : null;
    }

    /** The first non-blank line at or after {@code from}, or -1. */
    static int nextNonBlank(List<Line> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    static String clip(String s) {
        return Text.clip(s, Lines.CLIP);
    }
}
