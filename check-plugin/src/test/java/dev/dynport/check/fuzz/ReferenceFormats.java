package dev.dynport.check.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference's reading of the four command outputs, written from the documented formats (parser javadocs,
 * /work/shared/domain.md section 4) without calling the product's parsers. It is deliberately strict where a
 * misread changes a number and lax where the product may legitimately be stricter (labels, titles beyond the
 * protocol token, address details): lax costs only an "over-strict" count, strict finds wrong OKs.
 * This class holds what every format shares (the facts read, lines, tokens, numbers); one class per format
 * family reads it: {@link ReferenceNetsh}, {@link ReferenceNetstat}, {@link ReferenceTasklist} and
 * {@link ReferenceServices}. Each reader returns the facts or throws {@link Unreadable} with the reason.
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
}
