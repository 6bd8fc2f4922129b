package dev.dynport.check.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic mutations of a snapshot. Input {@code index} of a campaign with seed {@code seed} is
 * {@link #input(long, long)}: the same pair gives the same bytes on every machine, so any finding can be
 * replayed from its two numbers. Text operators work on the bytes as ISO-8859-1 (one char per byte), so they
 * never re-encode what they do not touch.
 */
final class Mutator {
    /** One mutated input and how it was made. */
    record Input(long seed, long index, String seedName, String operator, byte[] bytes) {
    }

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern MARKER = Pattern.compile("(?m)^[ \\t]*#@section [^\\n]*\\n?");
    private static final byte[] INTERESTING = {':', '*', '-', ' ', '\t', '\r', '\n', '0', '9', '"', ',', '[', ']',
        '.', '%', 0, (byte) 0xFF, (byte) 0x99, (byte) 0xA0, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '#', '@'};
    private static final String[] EDGE_NUMBERS = {"0", "00", "1", "65534", "65535", "65536", "99999", "100000",
        "2147483647", "2147483648", "999999999999", "1000000000000", "9999999999999", "0000000059530",
        "18446744073709551616", "-1", "+9710", "6005", "59530", "9933", "9955", "1993", "1995",
        // the dynamic range's limits: KB929851's 255 ports and 1025, the 1024 real captures print, the highest start
        "254", "255", "1023", "1024", "1025", "65281"};
    private static final String[] LONG_UNITS = {" ", "a", "9", ": ", "- ", "-", "Start Port ", "x:", "\u00c4", "0 ",
        ":9", "  \t", "\"\",", "[::]:"};

    private final List<Seeds.Seed> seeds;

    Mutator(List<Seeds.Seed> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    Input input(long seed, long index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (index + 0x632BE59BD9B4E019L) * 0xBF58476D1CE4E5B9L);
        Seeds.Seed base = seeds.get(r.nextInt(seeds.size()));
        Operator op = Operator.values()[r.nextInt(Operator.values().length)];
        byte[] bytes = base.bytes();
        String name;
        if (op == Operator.HAVOC) {
            int n = 2 + r.nextInt(4);
            StringBuilder chain = new StringBuilder("HAVOC[");
            for (int i = 0; i < n; i++) {
                Operator step = Operator.values()[r.nextInt(Operator.HAVOC.ordinal())];
                bytes = apply(step, bytes, r);
                chain.append(i == 0 ? "" : "+").append(step);
            }
            name = chain.append(']').toString();
        } else {
            bytes = apply(op, bytes, r);
            name = op.name();
        }
        return new Input(seed, index, base.name(), name, bytes);
    }

    /** Every operator; HAVOC stays last (it stacks the ones before it). */
    enum Operator {
        FLIP_BIT, SET_BYTE, INSERT_BYTES, DELETE_BYTES, DIGIT_CHANGE, DIGIT_INSERT, DIGIT_DELETE, COLON_IN_NUMBER,
        JOIN_LINES, DUPLICATE_LINE, DELETE_LINE, SWAP_LINES, DUPLICATE_SECTION, APPEND_SNAPSHOT, REORDER_SECTIONS,
        DROP_SECTION, RENAME_SECTION, SPLICE_SECTION, TRUNCATE, TRUNCATE_SECTION, LONG_LINE_INSERT, LONG_LINE_EXTEND,
        LINE_ENDINGS, BOM, UTF16, OEM_BYTES, PORT_EDGE, NON_ASCII_DIGITS, WHITESPACE, STAR_TOGGLE, NUL_BYTES,
        SERVICE_FACT, HAVOC
    }

    private byte[] apply(Operator op, byte[] in, SplittableRandom r) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        String out = switch (op) {
            case FLIP_BIT -> {
                if (in.length == 0) {
                    yield s;
                }
                byte[] b = in.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                yield latin1(b);
            }
            case SET_BYTE -> in.length == 0 ? s : replaceAt(s, r.nextInt(s.length()), 1, interesting(r, 1));
            case INSERT_BYTES -> replaceAt(s, r.nextInt(s.length() + 1), 0, interesting(r, 1 + r.nextInt(4)));
            case DELETE_BYTES -> in.length == 0 ? s : replaceAt(s, r.nextInt(s.length()), 1 + r.nextInt(8), "");
            case DIGIT_CHANGE -> onDigits(s, r, d -> {
                int at = r.nextInt(d.length());
                return d.substring(0, at) + (char) ('0' + r.nextInt(10)) + d.substring(at + 1);
            });
            case DIGIT_INSERT -> onDigits(s, r, d -> {
                int at = r.nextInt(d.length() + 1);
                return d.substring(0, at) + (char) ('0' + r.nextInt(10)) + d.substring(at);
            });
            case DIGIT_DELETE -> onDigits(s, r, d -> {
                int at = r.nextInt(d.length());
                return d.substring(0, at) + d.substring(at + 1);
            });
            case COLON_IN_NUMBER -> onDigits(s, r, d -> d.length() < 2 ? d + ":" + d
                    : d.substring(0, 1 + r.nextInt(d.length() - 1)) + ":" + d.substring(1 + r.nextInt(d.length() - 1)));
            case JOIN_LINES -> joinLines(s, r);
            case DUPLICATE_LINE -> lines(s, r, (lines, i) -> lines.add(i, lines.get(i)));
            case DELETE_LINE -> lines(s, r, (lines, i) -> lines.remove(i));
            case SWAP_LINES -> lines(s, r, (lines, i) -> {
                if (i + 1 < lines.size()) {
                    lines.set(i, lines.set(i + 1, lines.get(i)));
                }
            });
            case DUPLICATE_SECTION -> {
                List<String> sections = sections(s);
                String copy = sections.get(r.nextInt(sections.size()));
                sections.add(r.nextInt(sections.size() + 1), copy);
                yield String.join("", sections);
            }
            case APPEND_SNAPSHOT -> {
                String other = latin1(seeds.get(r.nextInt(seeds.size())).bytes());
                yield r.nextBoolean() ? other + s : s + other; // capture >> old.snapshot, either way round
            }
            case REORDER_SECTIONS -> {
                List<String> sections = sections(s);
                for (int i = sections.size() - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    sections.set(i, sections.set(j, sections.get(i)));
                }
                yield String.join("", sections);
            }
            case DROP_SECTION -> {
                List<String> sections = sections(s);
                sections.remove(r.nextInt(sections.size()));
                yield String.join("", sections);
            }
            case RENAME_SECTION -> {
                Matcher m = MARKER.matcher(s);
                List<int[]> at = new ArrayList<>();
                while (m.find()) {
                    at.add(new int[] {m.start(), m.end()});
                }
                if (at.isEmpty()) {
                    yield s;
                }
                int[] pick = at.get(r.nextInt(at.size()));
                String eol = s.substring(pick[0], pick[1]).endsWith("\r\n") ? "\r\n" : "\n";
                yield replaceAt(s, pick[0], pick[1] - pick[0],
                        "#@section " + Seeds.SECTION_NAMES[r.nextInt(Seeds.SECTION_NAMES.length)] + eol);
            }
            case SPLICE_SECTION -> {
                List<String> mine = sections(s);
                List<String> theirs = sections(latin1(seeds.get(r.nextInt(seeds.size())).bytes()));
                String donor = theirs.get(r.nextInt(theirs.size()));
                String name = markerName(donor);
                for (int i = 0; i < mine.size(); i++) {
                    if (name != null && name.equals(markerName(mine.get(i)))) {
                        mine.set(i, donor);
                    }
                }
                yield String.join("", mine);
            }
            case TRUNCATE -> s.substring(0, r.nextInt(s.length() + 1));
            case TRUNCATE_SECTION -> {
                List<String> sections = sections(s);
                int i = r.nextInt(sections.size());
                String sec = sections.get(i);
                sections.set(i, sec.substring(0, r.nextInt(sec.length() + 1)) + (r.nextBoolean() ? "\r\n" : ""));
                yield String.join("", sections);
            }
            case LONG_LINE_INSERT -> lines(s, r, (lines, i) -> lines.add(i, longText(r) + eolOf(lines.get(i))));
            case LONG_LINE_EXTEND -> lines(s, r, (lines, i) -> {
                String line = lines.get(i);
                String eol = eolOf(line);
                String body = line.substring(0, line.length() - eol.length());
                int cut = r.nextInt(body.length() + 1);
                lines.set(i, body.substring(0, cut) + longText(r) + body.substring(cut) + eol);
            });
            case LINE_ENDINGS -> lineEndings(s, r);
            case BOM -> "\u00EF\u00BB\u00BF" + s;
            case UTF16 -> {
                // decode as UTF-8 where it is valid, else keep the byte values: what PowerShell's > would write
                String text = new String(in, StandardCharsets.UTF_8);
                yield switch (r.nextInt(3)) {
                    case 0 -> "\u00FF\u00FE" + latin1(text.getBytes(StandardCharsets.UTF_16LE));
                    case 1 -> "\u00FE\u00FF" + latin1(text.getBytes(StandardCharsets.UTF_16BE));
                    default -> latin1(text.getBytes(StandardCharsets.UTF_16LE));
                };
            }
            case OEM_BYTES -> {
                StringBuilder b = new StringBuilder();
                for (int i = 1 + r.nextInt(6); i > 0; i--) {
                    b.append((char) (0x80 + r.nextInt(0x80)));
                }
                yield replaceAt(s, r.nextInt(s.length() + 1), 0, b.toString());
            }
            case PORT_EDGE -> onDigits(s, r, d -> EDGE_NUMBERS[r.nextInt(EDGE_NUMBERS.length)]);
            case NON_ASCII_DIGITS -> onDigits(s, r, d -> {
                int base = new int[] {0x0660, 0x06F0, 0xFF10, 0x0966}[r.nextInt(4)];
                StringBuilder b = new StringBuilder();
                for (char c : d.toCharArray()) {
                    b.append(r.nextInt(3) == 0 ? String.valueOf(c) : utf8(new String(Character.toChars(base + c - '0'))));
                }
                return b.toString();
            });
            case WHITESPACE -> whitespace(s, r);
            case STAR_TOGGLE -> {
                int star = s.indexOf('*', r.nextInt(s.length() + 1));
                if (star >= 0 && r.nextBoolean()) {
                    yield replaceAt(s, star, 1, " ");
                }
                yield lines(s, r, (lines, i) -> {
                    String line = lines.get(i);
                    String eol = eolOf(line);
                    lines.set(i, line.substring(0, line.length() - eol.length()) + (r.nextBoolean() ? " *" : "*") + eol);
                });
            }
            case NUL_BYTES -> replaceAt(s, r.nextInt(s.length() + 1), 0, "\u0000".repeat(1 + r.nextInt(4)));
            case SERVICE_FACT -> ServiceFactMutation.apply(s, r);
            case HAVOC -> throw new IllegalStateException("HAVOC is expanded by input()");
        };
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String text) {
        return latin1(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String replaceAt(String s, int at, int length, String with) {
        return s.substring(0, at) + with + s.substring(Math.min(s.length(), at + length));
    }

    private static String interesting(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(r.nextInt(4) == 0 ? (char) r.nextInt(256) : (char) (INTERESTING[r.nextInt(INTERESTING.length)] & 0xFF));
        }
        return b.toString();
    }

    private interface DigitEdit {
        String edit(String digits);
    }

    /**
     * Applies the edit to one run of ASCII digits in one section, both chosen at random: section first, so that
     * the short netsh sections are hit as often as the long netstat table.
     */
    private static String onDigits(String s, SplittableRandom r, DigitEdit edit) {
        return inOneSection(s, r, piece -> {
            Matcher m = DIGITS.matcher(piece);
            List<int[]> runs = new ArrayList<>();
            while (m.find()) {
                runs.add(new int[] {m.start(), m.end()});
            }
            if (runs.isEmpty()) {
                return piece;
            }
            int[] run = runs.get(r.nextInt(runs.size()));
            return replaceAt(piece, run[0], run[1] - run[0], edit.edit(piece.substring(run[0], run[1])));
        });
    }

    private interface PieceEdit {
        String edit(String piece);
    }

    private static String inOneSection(String s, SplittableRandom r, PieceEdit edit) {
        List<String> pieces = sections(s);
        int k = r.nextInt(pieces.size());
        pieces.set(k, edit.edit(pieces.get(k)));
        return String.join("", pieces);
    }

    private interface LineEdit {
        void edit(List<String> lines, int index);
    }

    /** Lines with their own line ends (LF, CRLF or none for the last), so every edit keeps the others' bytes. */
    static List<String> splitKeepingEnds(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                lines.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** Applies the edit to one line of one section, both chosen at random (section first, as for digits). */
    private static String lines(String s, SplittableRandom r, LineEdit edit) {
        return inOneSection(s, r, piece -> {
            List<String> lines = splitKeepingEnds(piece);
            if (lines.isEmpty()) {
                return piece;
            }
            edit.edit(lines, r.nextInt(lines.size()));
            return String.join("", lines);
        });
    }

    private static String eolOf(String line) {
        return line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
    }

    private static String joinLines(String s, SplittableRandom r) {
        List<String> lines = splitKeepingEnds(s);
        if (lines.size() < 2) {
            return s;
        }
        int i = r.nextInt(lines.size() - 1);
        String first = lines.get(i);
        String joined = first.substring(0, first.length() - eolOf(first).length()) + (r.nextBoolean() ? " " : "")
                + lines.get(i + 1).stripLeading();
        lines.set(i, joined);
        lines.remove(i + 1);
        return String.join("", lines);
    }

    private static String longText(SplittableRandom r) {
        int length = 10_000 + r.nextInt(90_001);
        String unit = LONG_UNITS[r.nextInt(LONG_UNITS.length)];
        StringBuilder b = new StringBuilder(length + unit.length());
        while (b.length() < length) {
            b.append(unit);
        }
        return utf8(b.toString());
    }

    private static String lineEndings(String s, SplittableRandom r) {
        String lf = s.replace("\r\n", "\n");
        int mode = r.nextInt(4);
        if (mode == 0) {
            return lf;
        }
        if (mode == 1) {
            return lf.replace("\n", "\r\n");
        }
        if (mode == 2) {
            return lf.replace("\n", "\r");
        }
        StringBuilder b = new StringBuilder();
        for (char c : lf.toCharArray()) {
            b.append(c != '\n' ? String.valueOf(c) : new String[] {"\n", "\r\n", "\r", "\r\r\n"}[r.nextInt(4)]);
        }
        return b.toString();
    }

    private static String whitespace(String s, SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> s.replaceAll(" {2,}", " ");
            case 1 -> s.replace("    ", "\t");
            case 2 -> onSpace(s, r, "\u00C2\u00A0");
            default -> onSpace(s, r, "\u00E3\u0080\u0080"); // ideographic space, UTF-8
        };
    }

    private static String onSpace(String s, SplittableRandom r, String with) {
        int at = s.indexOf(' ', r.nextInt(s.length() + 1));
        return at < 0 ? s : replaceAt(s, at, 1, with);
    }

    /** The text split before each marker line; text before the first marker is its own piece. */
    static List<String> sections(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = MARKER.matcher(s);
        int start = 0;
        while (m.find()) {
            if (m.start() > start) {
                out.add(s.substring(start, m.start()));
            }
            start = m.start();
        }
        out.add(s.substring(start));
        return out;
    }

    private static String markerName(String section) {
        Matcher m = MARKER.matcher(section);
        return m.lookingAt() ? m.group().strip() : null;
    }
}
