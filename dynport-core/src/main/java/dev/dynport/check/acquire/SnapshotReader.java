package dev.dynport.check.acquire;

import dev.dynport.check.util.Text;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Splits a snapshot into its sections and decodes each.
 *
 * <pre>
 * #@section netsh-dynamicport-tcp-ipv4
 * (output of netsh int ipv4 show dynamicport tcp)
 * #@section netstat-ano
 * (output of netstat -ano)
 * ...
 * </pre>
 *
 * A marker line is {@code #@section NAME}, optionally indented and followed by blanks or tabs, ended by CRLF or
 * LF. No command's output starts a line with {@code #@}, so every such line must be an exact marker of a known
 * section; anything else ({@code #@Section}, {@code #@sectionnetstat-ano}, an unknown or empty name) is refused
 * naming the line.
 *
 * <p>Decoding: a UTF-8 BOM means UTF-8; a UTF-16LE/BE BOM (what PowerShell 5.1 {@code >} writes) or a UTF-16LE
 * text without BOM (NUL in every odd byte) means UTF-16 for the whole file. Otherwise each section is decoded
 * on its own: as UTF-8 when its bytes are valid UTF-8 (after {@code chcp 65001}), else in the OEM code page
 * given (the console's, IBM850 by default), because different programs on one host may print in different
 * code pages. Marker lines are ASCII and cannot occur inside a DBCS character, so splitting on bytes is safe.
 *
 * <p>Refusals, never resolution by position or guessing:
 * <ul>
 * <li>a known section that appears twice: {@code capture >> old.snapshot} appends today's output to
 *     yesterday's, and either copy could be the one that holds the problem;</li>
 * <li>an unknown section name: skipping it would also cut short the section it interrupts (a netstat cut in
 *     the middle loses rows and can read as OK). A capture from a newer release with a new section needs a
 *     check of that release. Section names are a format contract: a release never renames one.</li>
 * </ul>
 * A missing section is not refused here; the judge reports it as missing (UNKNOWN).
 *
 * <p>Memory: the whole input is in memory once as bytes and once as section text, plus what the parsers build;
 * {@link InputBudget} refuses, before decoding, input whose bytes, lines or line lengths would not fit the heap.
 * That is the path of SSH and {@code --local} output; a snapshot file is split by the same rules without being
 * held ({@link SnapshotFileScan}).
 */
public final class SnapshotReader {
    private static final String MARKER = Section.MARKER_PREFIX;

    private SnapshotReader() {
    }

    /** The snapshot keeps {@code raw} itself (no copy): the caller must not change it afterwards. */
    public static Snapshot read(byte[] raw, Charset oemFallback, String origin) throws AcquisitionException {
        if (raw.length > InputBudget.MAX_BYTES) {
            // Every source bounds its input; decoding and parsing more would exhaust the heap.
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    origin + " is too large for this check's heap: " + raw.length + " bytes, at most "
                            + InputBudget.MAX_BYTES);
        }
        Splitter splitter = new Splitter(origin);
        Charset whole = wholeFileCharset(raw);
        int bom = bomLength(raw);
        InputBudget budget = new InputBudget(origin);
        try {
            if (whole != null) {
                String text = new String(raw, bom, raw.length - bom, whole);
                List<Body> bodies = split(chars(text, 0), 0, text.length(), splitter);
                for (Body b : bodies) {
                    budget.add(b.section(), chars(text, (int) b.from()), b.from(), b.to(), 2, b.firstLine(), false,
                            true);
                }
                budget.check(raw.length);
                for (Body b : bodies) {
                    splitter.sections.put(b.section(), text.substring((int) b.from(), (int) b.to()));
                }
            } else {
                List<Body> bodies = split(bytes(raw, bom), bom, raw.length, splitter);
                for (Body b : bodies) {
                    int from = (int) b.from();
                    int to = (int) b.to();
                    budget.add(b.section(), bytes(raw, from), from, to, 1, b.firstLine(),
                            decodesWide(raw, from, to, oemFallback), true);
                }
                budget.check(raw.length);
                for (Body b : bodies) {
                    splitter.sections.put(b.section(), decode(raw, (int) b.from(), (int) b.to(), oemFallback));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("an array cannot fail to be read", e);
        }
        if (splitter.markers == 0) {
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    "not a dynport snapshot: no '" + MARKER.strip() + " NAME' marker line in "
                            + origin + " (" + raw.length + " bytes)");
        }
        return Snapshot.owning(raw, splitter.sections, origin);
    }

    /** Collects sections in file order; refuses malformed markers and a second copy of a section. */
    static final class Splitter {
        final Map<Section, String> sections = new EnumMap<>(Section.class);
        final Map<Section, Integer> markerLine = new EnumMap<>(Section.class);
        final String origin;
        int markers;

        Splitter(String origin) {
            this.origin = origin;
        }

        /**
         * @param line a line starting with {@code #@} after blanks, at most {@link #MARKER_LINE_MAX} characters
         *     of it, without its line end
         * @return the section the marker opens
         */
        Section marker(String line, int number) throws AcquisitionException {
            markers++;
            String content = stripBlanks(line);
            String prefix = MARKER.strip();
            String name = content.length() > prefix.length() && content.startsWith(prefix)
                    && isBlank(content.charAt(prefix.length()))
                    ? stripBlanks(content.substring(prefix.length()))
                    : null;
            Section section = name == null ? null : Section.byName(name).orElse(null);
            if (section == null) {
                String shown = Text.clip(content, SHOWN);
                throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                        "line " + number + " of " + origin + " is not a section marker this check knows [" + shown
                                + "]: expected '" + MARKER + "NAME' with NAME one of " + KNOWN);
            }
            Integer first = markerLine.putIfAbsent(section, number);
            if (first != null) {
                throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                        "section " + section.sectionName() + " appears twice in " + origin + " (marker lines "
                                + first + " and " + number + "): refusing to guess which output is current;"
                                + " write each capture to its own file (> not >>)");
            }
            return section;
        }
    }

    /** Longer than any valid marker line; what is kept of a line starting with {@code #@} for the message. */
    private static final int MARKER_LINE_MAX = 200;
    /** How much of a line that is no known marker the message quotes. */
    private static final int SHOWN = 60;
    private static final String KNOWN = known();

    private static String known() {
        StringJoiner names = new StringJoiner(", ");
        for (Section s : Section.values()) {
            names.add(s.sectionName());
        }
        return names.toString();
    }

    /** The kept start of a marker line; a longer line gets "..." so that it can never pass as a valid marker. */
    private static String shown(String kept, long fullLength) {
        return fullLength > kept.length() ? kept + "..." : kept;
    }

    private static String stripBlanks(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        while (to > from && (isBlank(s.charAt(to - 1)) || s.charAt(to - 1) == '\r')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static Charset wholeFileCharset(byte[] raw) {
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFF && (raw[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFE && (raw[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (raw.length >= 4 && raw[0] != 0 && raw[1] == 0 && raw[2] != 0 && raw[3] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    static int bomLength(byte[] raw) {
        if (raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
            return 3;
        }
        if (wholeFileCharset(raw) != null && raw.length >= 2 && ((raw[0] & 0xFF) == 0xFF || (raw[0] & 0xFF) == 0xFE)) {
            return 2;
        }
        return 0;
    }

    /** Where one section's body lies in the input, in code units; nothing is decoded yet. */
    record Body(Section section, long from, long to, int firstLine) {
    }

    private static InputBudget.Units bytes(byte[] raw, int from) {
        int[] at = {from};
        return () -> at[0] < raw.length ? raw[at[0]++] & 0xFF : -1;
    }

    private static InputBudget.Units chars(String text, int from) {
        int[] at = {from};
        return () -> at[0] < text.length() ? text.charAt(at[0]++) : -1;
    }

    /**
     * Finds the marker lines (LF-terminated; the same rules for bytes and UTF-16 chars) and the bodies between
     * them, reading {@code units} once from {@code start} to {@code end}. Text before the first marker (a banner,
     * a prompt) belongs to no section and is not read. Only the start of each line is kept, for a marker's message.
     */
    static List<Body> split(InputBudget.Units units, long start, long end, Splitter splitter)
            throws AcquisitionException, IOException {
        List<Body> bodies = new ArrayList<>();
        Section current = null;
        long bodyStart = start;
        int bodyLine = 1;
        int lineNumber = 1;
        long lineStart = start;
        char[] head = new char[MARKER_LINE_MAX];
        int lead = LEAD_BLANKS;
        for (long at = start; at <= end; at++) {
            int c = at < end ? units.next() : '\n';
            if (c < 0) {
                throw new IOException("input ended at " + at + " of " + end + " units (changed while being read?)");
            }
            if (c != '\n') {
                long column = at - lineStart;
                if (column < MARKER_LINE_MAX) {
                    head[(int) column] = (char) c;
                }
                lead = lead(lead, c);
                continue;
            }
            if (at == end && lineStart == end) {
                break;
            }
            long next = at < end ? at + 1 : end;
            if (lead == LEAD_MARK) {
                if (current != null) {
                    bodies.add(new Body(current, bodyStart, lineStart, bodyLine));
                }
                long length = at - lineStart;
                int kept = (int) Math.min(length, MARKER_LINE_MAX);
                current = splitter.marker(shown(new String(head, 0, kept), length), lineNumber);
                bodyStart = next;
                bodyLine = lineNumber + 1;
            }
            lineStart = next;
            lineNumber++;
            lead = LEAD_BLANKS;
        }
        if (current != null) {
            bodies.add(new Body(current, Math.min(bodyStart, end), end, bodyLine));
        }
        return bodies;
    }

    /** Where a line is in telling a marker line (blanks, then {@code #@}) from any other. */
    private static final int LEAD_BLANKS = 0;
    private static final int LEAD_HASH = 1;
    private static final int LEAD_MARK = 2;
    private static final int LEAD_OTHER = 3;

    private static int lead(int state, int c) {
        return switch (state) {
            case LEAD_BLANKS -> c == ' ' || c == '\t' ? LEAD_BLANKS : c == '#' ? LEAD_HASH : LEAD_OTHER;
            case LEAD_HASH -> c == '@' ? LEAD_MARK : LEAD_OTHER;
            default -> state;
        };
    }

    /**
     * Whether {@link #decode} gives characters beyond U+00FF, which make a String two bytes per character: UTF-8
     * lead bytes from 0xC4 on; in a one-byte OEM code page, a byte that maps there; in a multi-byte one, any
     * non-ASCII byte (assumed wide).
     */
    static boolean decodesWide(byte[] raw, int from, int to, Charset oemFallback) {
        boolean[] wide = new boolean[256];
        if (Utf8.isValid(raw, from, to)) {
            Arrays.fill(wide, 0xC4, 256, true);
        } else if (oemFallback.newEncoder().maxBytesPerChar() == 1.0f) {
            for (int b = 0x80; b < 256; b++) {
                String s = new String(new byte[] {(byte) b}, oemFallback);
                wide[b] = s.length() != 1 || s.charAt(0) > 0xFF;
            }
        } else {
            Arrays.fill(wide, 0x80, 256, true);
        }
        for (int i = from; i < to; i++) {
            if (wide[raw[i] & 0xFF]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks UTF-8 validity in place and then lets String decode it: a CharsetDecoder would first build a
     * CharBuffer of two bytes per input byte, which for a large netstat is most of a small heap.
     */
    static String decode(byte[] raw, int from, int to, Charset oemFallback) {
        int length = Math.max(0, to - from);
        return Utf8.isValid(raw, from, from + length)
                ? new String(raw, from, length, StandardCharsets.UTF_8)
                : new String(raw, from, length, oemFallback);
    }
}
