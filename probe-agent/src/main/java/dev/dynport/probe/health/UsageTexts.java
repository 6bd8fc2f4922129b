package dev.dynport.probe.health;

import dev.dynport.check.judge.DynamicUsage;
import dev.dynport.check.model.State;
import java.util.List;

/**
 * The human texts of a usage event, from the check's {@link DynamicUsage} of one family: the same figures the
 * plugin prints in its long output ({@code Dynamic ports in use ipv4: ...}), never parsed back from rendered text.
 */
final class UsageTexts {
    private UsageTexts() {
    }

    /**
     * Over a threshold: the check's own status-line words ({@link DynamicUsage#brief()}); within: the figures and
     * the ranges they were judged against, e.g. {@code ipv4 dynamic ports 16 of 59527 in use (0.0%), within
     * warning range 47621 and critical range 56550}.
     */
    static String summary(DynamicUsage u) {
        if (u.state() != State.OK) {
            return u.brief();
        }
        StringBuilder b = new StringBuilder(u.family().label()).append(" dynamic ports ").append(u.used())
                .append(" of ").append(u.available()).append(" in use (").append(u.percentText()).append("), within");
        if (u.warning() != null) {
            b.append(" warning range ").append(u.warning().perfdata());
        }
        if (u.critical() != null) {
            b.append(u.warning() != null ? " and" : "").append(" critical range ").append(u.critical().perfdata());
        }
        return b.toString();
    }

    /** {@code range 6005-65534 (59530 ports), 3 excluded, 59527 available, 16 in use}. */
    static String details(DynamicUsage u) {
        return u.family().label() + " range " + u.range().start() + "-" + u.range().end() + " (" + u.range().count()
                + " ports), " + u.excluded() + " excluded, " + u.available() + " available, " + u.used() + " in use";
    }

    /** The top consumers: {@code w3wp.exe PID 3333 (W3SVC) 600 ports}; PID 0 is TIME_WAIT. */
    static List<String> evidence(DynamicUsage u) {
        return u.top().stream().map(UsageTexts::consumer).toList();
    }

    private static String consumer(DynamicUsage.Consumer c) {
        StringBuilder b = new StringBuilder(c.image()).append(" PID ").append(c.pid());
        if (!c.services().isEmpty()) {
            b.append(" (").append(String.join(",", c.services())).append(')');
        }
        return b.append(' ').append(c.ports()).append(c.ports() == 1 ? " port" : " ports").toString();
    }
}
