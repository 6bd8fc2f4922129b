package dev.dynport.check.util;

/**
 * One-line and clipped text for messages, logs and receivers. One ellipsis, ASCII {@value #ELLIPSIS}: the check's
 * output goes through Nagios and OEM code pages where a Unicode ellipsis may not survive. The limits stay with the
 * callers, each named for its reason (a quoted input line, a status line, a receiver's field size).
 */
public final class Text {
    public static final String ELLIPSIS = "...";

    private Text() {
    }

    /** Line breaks (CR, LF, U+2028, U+2029) become spaces; null becomes "". */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace('\r', ' ').replace('\n', ' ').replace('\u2028', ' ').replace('\u2029', ' ');
    }

    /**
     * The first {@code keep} characters of {@code s} followed by {@value #ELLIPSIS} when {@code s} is longer, else
     * {@code s}. Never cuts a surrogate pair in half.
     */
    public static String clip(String s, int keep) {
        if (s.length() <= keep) {
            return s;
        }
        int end = keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1)) ? keep - 1 : keep;
        return s.substring(0, end) + ELLIPSIS;
    }

    /** {@code s} cut so that it, the ellipsis included, is at most {@code max} characters (a receiver's limit). */
    public static String fit(String s, int max) {
        return s.length() <= max ? s : clip(s, max - ELLIPSIS.length());
    }
}
