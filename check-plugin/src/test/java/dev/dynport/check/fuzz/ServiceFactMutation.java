package dev.dynport.check.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Mutator.Operator#SERVICE_FACT}: one fact of the "ports in use" rules swapped for another valid one. */
final class ServiceFactMutation {
    /**
     * The facts the "ports in use" rules decide on, each as the product reads it: an sc start type or state
     * (number and constant), an sc error code, a ProxyTargetPort, a tasklist service field. Byte operators almost
     * never turn one valid fact into another (DEMAND_START into AUTO_START); this does, so that every NOT_IN_USE
     * seed is also tried with the one fact changed that makes its port this host's.
     */
    private static final Pattern FACT = Pattern.compile("\\b[0-9] +(AUTO_START|DEMAND_START|DISABLED)\\b"
            + "|\\b[0-9] +(STOPPED|RUNNING|START_PENDING)\\b|(FAILED [0-9]+:)|(ProxyTargetPort [0-9]+)"
            + "|(\"(?:N/A|MSExchange(?:Pop3|Imap4|POP3BE|IMAP4BE))\")");
    private static final String[][] VALUES = {
        {"2   AUTO_START", "3   DEMAND_START", "4   DISABLED"},
        {"1  STOPPED", "4  RUNNING", "2  START_PENDING"},
        {"FAILED 1060:", "FAILED 5:"},
        {"ProxyTargetPort 1993", "ProxyTargetPort 1995", "ProxyTargetPort 9933", "ProxyTargetPort 9955",
            "ProxyTargetPort 12995"},
        {"\"N/A\"", "\"MSExchangePop3\"", "\"MSExchangeImap4\"", "\"MSExchangePOP3BE\"", "\"MSExchangeIMAP4BE\""}};

    private ServiceFactMutation() {
    }

    /** Replaces one service fact with another valid one of its kind (which may be the same). */
    static String apply(String s, SplittableRandom r) {
        Matcher m = FACT.matcher(s);
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            int kind = 1;
            while (m.group(kind) == null) {
                kind++;
            }
            found.add(new int[] {m.start(), m.end(), kind - 1});
        }
        if (found.isEmpty()) {
            return s;
        }
        int[] pick = found.get(r.nextInt(found.size()));
        String[] values = VALUES[pick[2]];
        return s.substring(0, pick[0]) + values[r.nextInt(values.length)] + s.substring(pick[1]);
    }
}
