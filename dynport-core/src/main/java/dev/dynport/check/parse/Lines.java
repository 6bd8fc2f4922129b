package dev.dynport.check.parse;

import dev.dynport.check.util.TextSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the four parsers share: splitting on every line ending (CRLF, LF, lone CR, mixed), 1-based line numbers
 * as the user sees them, stripping of indentation and padding (including a BOM, no-break and ideographic
 * spaces, which copy/paste and code-page conversions leave behind), whitespace tokens, bounded ASCII numbers,
 * and the protocol token of a netsh title.
 */
final class Lines {
    /** Larger than any value a parser accepts, so callers need only one upper-bound comparison. */
    static final long TOO_BIG = Long.MAX_VALUE;

    /** How much of an over-long line a refusal quotes. */
    static final int CLIP = 40;

    /** {@code tcp} / {@code udp} as a word: netsh translates its titles but never this token. ASCII-only match. */
    private static final Pattern TCP_WORD = Pattern.compile("(?<![A-Za-z])tcp(?![A-Za-z])", Pattern.CASE_INSENSITIVE);
    private static final Pattern UDP_WORD = Pattern.compile("(?<![A-Za-z])udp(?![A-Za-z])", Pattern.CASE_INSENSITIVE);

    private Lines() {
    }

    /**
     * One line of output: its 1-based number in the text, its content without surrounding blanks, and whether a
     * line end followed it (only the last line of a text can lack one).
     */
    record Line(int number, String text, boolean terminated) {
        boolean isBlank() {
            return text.isEmpty();
        }
    }

    /**
     * Splits the text into stripped lines, in one pass. Rejects null, empty and blank-only text: no command this
     * product runs prints nothing, so an empty section means the command did not run or its output was lost.
     * Rejects a line longer than {@code maxLength} (its raw length, padding included) naming its number and
     * length, before anything looks inside it: each parser's bound is far above any line its command prints, so
     * such a line is not that command's output, and no later scan has to cope with it.
     */
    static List<Line> split(String command, CharSequence text, int maxLength) throws OutputFormatException {
        if (text == null || text.length() == 0) {
            throw new OutputFormatException(command, 0, "", "empty output");
        }
        List<Line> lines = new ArrayList<>();
        if (!walk(command, text, maxLength, new Collect(lines))) {
            throw new OutputFormatException(command, 0, "", "output holds only blank lines");
        }
        return lines;
    }

    /** What a parser does with each line, in order; it may refuse the text. */
    @FunctionalInterface
    interface LineVisitor {
        void visit(Line line) throws OutputFormatException;
    }

    /** The first and last non-blank lines of a scanned text (there is always one). */
    record Ends(Line first, Line last) {
    }

    /**
     * {@link #split} without the list: the same refusals, checked on the whole text before the first line is
     * visited (so a text with an over-long line and a bad row is refused for the long line, as by {@code split}),
     * then each line handed to {@code visitor} and dropped. Memory stays that of one line, whatever the length
     * of the text: a busy server's netstat has hundreds of thousands of lines. The source is read twice.
     *
     * @throws UncheckedIOException when the source cannot be read (a snapshot file changed or vanished)
     */
    static Ends scan(String command, TextSource source, int maxLength, LineVisitor visitor)
            throws OutputFormatException {
        Walk lengths = walk(command, source, maxLength, null);
        if (lengths.chars() == 0) {
            throw new OutputFormatException(command, 0, "", "empty output");
        }
        if (!lengths.anyContent()) {
            throw new OutputFormatException(command, 0, "", "output holds only blank lines");
        }
        EndsSeen ends = new EndsSeen(visitor);
        walk(command, source, maxLength, ends);
        return new Ends(ends.first, ends.last);
    }

    // Named visitors, not lambdas: every check splits its sections on the start-up path, where each lambda call
    // site costs a link on first use (docs/startup.md).

    private static final class Collect implements LineVisitor {
        private final List<Line> lines;

        Collect(List<Line> lines) {
            this.lines = lines;
        }

        @Override
        public void visit(Line line) {
            lines.add(line);
        }
    }

    /** Hands each line on and notes the first and last non-blank ones. */
    private static final class EndsSeen implements LineVisitor {
        private final LineVisitor visitor;
        Line first;
        Line last;

        EndsSeen(LineVisitor visitor) {
            this.visitor = visitor;
        }

        @Override
        public void visit(Line line) throws OutputFormatException {
            if (!line.isBlank()) {
                if (first == null) {
                    first = line;
                }
                last = line;
            }
            visitor.visit(line);
        }
    }

    private static boolean walk(String command, CharSequence text, int maxLength, LineVisitor visitor)
            throws OutputFormatException {
        return walk(command, TextSource.of(text.toString()), maxLength, visitor).anyContent();
    }

    private record Walk(long chars, boolean anyContent) {
    }

    /**
     * One pass over the lines, reading the source sequentially. Without a visitor it only checks the lengths and
     * keeps no more of a line than a refusal quotes. A line is ended by LF, CRLF or a lone CR; only the last line
     * may lack an end.
     */
    private static Walk walk(String command, TextSource source, int maxLength, LineVisitor visitor)
            throws OutputFormatException {
        try (Reader reader = source.open()) {
            char[] buffer = new char[8192];
            // The line as read; a plain array, not a StringBuilder: a busy netstat has a million lines, and the
            // check runs with the C1 compiler only, which keeps StringBuilder.append a call per character.
            char[] line = new char[Math.min(maxLength, 256)];
            int kept = 0;
            int length = 0;
            boolean blank = true;
            boolean afterCr = false;
            boolean anyContent = false;
            int number = 1;
            long chars = 0;
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                chars += n;
                for (int k = 0; k < n; k++) {
                    char c = buffer[k];
                    if (afterCr) {
                        afterCr = false;
                        if (c == '\n') {
                            continue; // the LF of a CRLF
                        }
                    }
                    if (c != '\n' && c != '\r') {
                        if (length == maxLength) {
                            throw tooLong(command, number, strip(line, 0, Math.min(kept, CLIP)), reader, buffer, k,
                                    n, maxLength);
                        }
                        length++;
                        if (visitor != null || kept < CLIP) {
                            if (kept == line.length) {
                                line = Arrays.copyOf(line, Math.min(maxLength, line.length * 2));
                            }
                            line[kept++] = c;
                        }
                        if (blank && !isBlankChar(c)) {
                            blank = false;
                        }
                        continue;
                    }
                    anyContent |= emit(visitor, number++, line, kept, blank, true);
                    kept = 0;
                    length = 0;
                    blank = true;
                    afterCr = c == '\r';
                }
            }
            if (length > 0) {
                anyContent |= emit(visitor, number, line, kept, blank, false);
            }
            return new Walk(chars, anyContent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the line holds more than blanks */
    private static boolean emit(LineVisitor visitor, int number, char[] text, int length, boolean blank,
            boolean terminated) throws OutputFormatException {
        if (visitor != null) {
            visitor.visit(new Line(number, strip(text, 0, length), terminated));
        }
        return !blank;
    }

    /** Measures the rest of the over-long line (reading on to its end) and quotes only its start. */
    private static OutputFormatException tooLong(String command, int number, String clip, Reader reader,
            char[] buffer, int at, int n, int maxLength) throws IOException {
        long length = maxLength;
        int k = at;
        int count = n;
        while (count >= 0) {
            for (; k < count; k++) {
                if (buffer[k] == '\n' || buffer[k] == '\r') {
                    count = -1;
                    break;
                }
                length++;
            }
            if (count >= 0) {
                count = reader.read(buffer);
                k = 0;
            }
        }
        return new OutputFormatException(command, number, clip, "line of " + length
                + " characters, longer than any line of this output (at most " + maxLength + ")");
    }

    private static String strip(char[] s, int from, int to) {
        int a = from;
        int b = to;
        while (a < b && isBlankChar(s[a])) {
            a++;
        }
        while (b > a && isBlankChar(s[b - 1])) {
            b--;
        }
        return new String(s, a, b - a);
    }

    static String strip(CharSequence s, int from, int to) {
        int a = from;
        int b = to;
        while (a < b && isBlankChar(s.charAt(a))) {
            a++;
        }
        while (b > a && isBlankChar(s.charAt(b - 1))) {
            b--;
        }
        return s.subSequence(a, b).toString();
    }

    static boolean isBlankChar(char c) {
        if (c > ' ' && c < 0x7F) {
            return false; // printable ASCII: the common case, decided without the Character tables
        }
        return c == ' ' || c == '\t' || c == '\uFEFF' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Whitespace-separated tokens of a stripped line; any run of blanks is one separator. One pass. */
    static List<String> tokens(CharSequence stripped) {
        List<String> out = new ArrayList<>(6);
        int n = stripped.length();
        int i = 0;
        while (i < n) {
            while (i < n && isBlankChar(stripped.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlankChar(stripped.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(stripped.subSequence(start, i).toString());
            }
        }
        return out;
    }

    /**
     * How many runs of at least three {@code mark} characters, separated by blanks, make up the whole stripped
     * line (a netsh rule of dashes, a tasklist table rule of {@code =}); 0 if the line holds anything else or a
     * shorter run. One pass, so a line of a megabyte of dashes costs a megabyte of steps, not its square.
     */
    static int ruleRuns(CharSequence line, char mark) {
        int n = line.length();
        int runs = 0;
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && line.charAt(i) == mark) {
                i++;
            }
            if (i - start < 3) {
                return 0;
            }
            runs++;
            int blanks = i;
            while (i < n && isBlankChar(line.charAt(i))) {
                i++;
            }
            if (i == blanks && i < n) {
                return 0;
            }
        }
        return runs;
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiDigits(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of a run of ASCII digits (Windows never prints other digits; {@link Integer#parseInt} would accept
     * Arabic-Indic or full-width ones), saturated to {@link #TOO_BIG} past 12 digits so that no length overflows.
     * Callers have checked {@link #isAsciiDigits}.
     */
    static long value(CharSequence digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        if (digits.length() - i > 12) {
            return TOO_BIG;
        }
        long v = 0;
        for (; i < digits.length(); i++) {
            v = v * 10 + (digits.charAt(i) - '0');
        }
        return v;
    }

    static Line firstNonBlank(List<Line> lines) {
        for (Line l : lines) {
            if (!l.isBlank()) {
                return l;
            }
        }
        throw new IllegalStateException("split() guarantees a non-blank line");
    }

    static Line lastNonBlank(List<Line> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        throw new IllegalStateException("split() guarantees a non-blank line");
    }

    /**
     * Windows ends every line it prints, so a last line without a line end was cut. Where that line carries a
     * number that is read (a port count, a PID), a cut inside the number would silently give a smaller one.
     */
    static void requireLineEnd(String command, Line last) throws OutputFormatException {
        if (!last.terminated()) {
            throw new OutputFormatException(command, last.number(), last.text(),
                    "truncated: the last line has no line end");
        }
    }

    static boolean namesTcp(String text) {
        return TCP_WORD.matcher(text).find();
    }

    static boolean namesUdp(String text) {
        return UDP_WORD.matcher(text).find();
    }

    /**
     * netsh titles are translated except for the protocol token, so the title is the one place that tells a
     * {@code tcp} table from a {@code udp} one. A udp table read as tcp would hide or invent exclusions.
     */
    static void requireTcpTitle(String command, Line title) throws OutputFormatException {
        if (namesUdp(title.text())) {
            throw new OutputFormatException(command, title.number(), title.text(),
                    "title names protocol udp; expected the tcp output");
        }
        if (!namesTcp(title.text())) {
            throw new OutputFormatException(command, title.number(), title.text(),
                    "title does not name protocol tcp");
        }
    }
}
