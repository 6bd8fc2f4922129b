package dev.dynport.check.judge;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A Monitoring Plugins threshold range (development guidelines, "Threshold and ranges"):
 * <pre>
 *   10        alert if the value is &lt; 0 or &gt; 10      (start 0, end 10)
 *   10:       alert if &lt; 10                              (end +infinity)
 *   ~:10      alert if &gt; 10                              (start -infinity)
 *   10:20     alert if &lt; 10 or &gt; 20                     (outside the range)
 *   @10:20    alert if &ge; 10 and &le; 20                  (inside the range)
 * </pre>
 * Either bound may also be a percentage of the ports available ({@code 80%}, {@code 50%:90%}), resolved for each
 * family against its own count: an upper bound rounds down and a lower bound up, so that for whole port counts
 * the alert fires exactly when the value passes the percentage. Bounds are non-negative integers (a port count
 * has no fractions) or percentages of at most 100 with up to two decimals; both bounds of {@code a:b} are of one
 * kind, and start must not exceed end.
 *
 * @param text the range as the user gave it, for messages
 */
public record Threshold(String text, Bound start, Bound end, boolean inside) {
    /** A bound: absent (infinite), a count, or a percentage of the available ports. */
    public record Bound(long count, BigDecimal percent) {
        static final Bound INFINITE = new Bound(-1, null);

        boolean infinite() {
            return count < 0 && percent == null;
        }

        /** The bound in ports; {@code upper} rounds a percentage down, a lower bound rounds it up. */
        long resolve(long available, boolean upper) {
            if (percent == null) {
                return count;
            }
            BigDecimal ports = percent.multiply(BigDecimal.valueOf(available)).divide(BigDecimal.valueOf(100));
            return ports.setScale(0, upper ? RoundingMode.FLOOR : RoundingMode.CEILING).longValueExact();
        }

        boolean hasPercent() {
            return percent != null;
        }
    }

    /** A threshold whose bounds are port counts for one family: what is compared and what perfdata shows. */
    public record Resolved(Long start, Long end, boolean inside) {
        public boolean alerts(long value) {
            boolean within = (start == null || value >= start) && (end == null || value <= end);
            return inside == within;
        }

        /** The range in guideline syntax with absolute numbers (the warn/crit field of a perfdata item). */
        public String perfdata() {
            if (!inside && start != null && start == 0 && end != null) {
                return String.valueOf(end);
            }
            return (inside ? "@" : "") + (start == null ? "~" : String.valueOf(start)) + ":"
                    + (end == null ? "" : String.valueOf(end));
        }
    }

    /** The longest value a user types for a range; longer is refused before it is looked at. */
    private static final int MAX_TEXT = 40;
    /** More digits than any port count; refusing them keeps every value within a long. */
    private static final int MAX_DIGITS = 9;

    /**
     * @throws IllegalArgumentException saying what is wrong, to follow the value in [brackets]: "is not a threshold
     *     range: ..." (the caller names the option and shows the value, masked as it masks values)
     */
    public static Threshold parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
            throw bad(text == null || text.isEmpty() ? "empty" : "longer than " + MAX_TEXT + " characters");
        }
        String s = text;
        boolean inside = s.startsWith("@");
        if (inside) {
            s = s.substring(1);
        }
        int colon = s.indexOf(':');
        Bound start;
        Bound end;
        if (colon < 0) {
            start = new Bound(0, null);
            end = bound(s);
        } else {
            String a = s.substring(0, colon);
            String b = s.substring(colon + 1);
            start = a.equals("~") ? Bound.INFINITE : bound(a);
            end = b.isEmpty() ? Bound.INFINITE : bound(b);
        }
        if (start.infinite() && end.infinite()) {
            throw bad("neither bound given");
        }
        if (!start.infinite() && !end.infinite() && colon >= 0 && start.hasPercent() != end.hasPercent()) {
            // 90:50% is 90:50 on one host and 90:8000 on another: refused rather than resolved per host
            throw bad("one bound a count and the other a percentage");
        }
        if (!start.infinite() && !end.infinite() && start.hasPercent() == end.hasPercent()) {
            boolean reversed = start.hasPercent() ? start.percent().compareTo(end.percent()) > 0
                    : start.count() > end.count();
            if (reversed) {
                throw bad("start greater than end");
            }
        }
        return new Threshold(text, start, end, inside);
    }

    private static Bound bound(String s) {
        if (s.isEmpty()) {
            throw bad("a bound is empty");
        }
        boolean percent = s.endsWith("%");
        String digits = percent ? s.substring(0, s.length() - 1) : s;
        int dot = digits.indexOf('.');
        String whole = dot < 0 ? digits : digits.substring(0, dot);
        String fraction = dot < 0 ? "" : digits.substring(dot + 1);
        if (!asciiDigits(whole) || dot >= 0 && (!percent || !asciiDigits(fraction) || fraction.length() > 2)
                || whole.length() > MAX_DIGITS) {
            throw bad(percent ? "expected a percentage such as 80% or 99.5%"
                    : "expected a port count (0 or more, no fraction) or a percentage such as 80%");
        }
        if (!percent) {
            return new Bound(Long.parseLong(whole), null);
        }
        BigDecimal p = new BigDecimal(digits);
        if (p.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw bad("a percentage over 100");
        }
        return new Bound(-1, p);
    }

    private static boolean asciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value itself is left to the caller, which names the option and masks control characters. */
    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("is not a threshold range: " + why
                + " (syntax: 10, 10:, ~:10, 10:20, @10:20; a bound may be a percentage of the available ports, 80%)");
    }

    /** The range in port counts for a family with {@code available} ports. */
    public Resolved resolve(long available) {
        Long s = start.infinite() ? null : start.resolve(available, false);
        Long e = end.infinite() ? null : end.resolve(available, true);
        return new Resolved(s, e, inside);
    }
}
