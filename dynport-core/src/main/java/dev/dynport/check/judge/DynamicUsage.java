package dev.dynport.check.judge;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.List;

/**
 * How full one family's dynamic port range is: the distinct local ports inside the range in use in any TCP state
 * (listeners and TIME_WAIT included), against the ports the allocator can hand out (the range minus the excluded
 * ports inside it, overlapping exclusion rows counted once). Counted per host, not per local address: see
 * docs/usage.md for the source.
 *
 * @param excluded excluded ports inside the range
 * @param available {@code range.count() - excluded}
 * @param used ports in use among the available ones
 * @param top the processes holding most of them, most first
 * @param warning the warning range in ports for this family; null when not given
 * @param critical the critical range in ports for this family; null when not given
 * @param state OK, WARNING or CRITICAL from the thresholds; OK without thresholds
 */
public record DynamicUsage(Family family, DynamicRange range, int excluded, int available, int used,
        List<Consumer> top, Threshold.Resolved warning, Threshold.Resolved critical, State state) {

    /** A process holding ports of the range; {@code image} is {@code ?} for a PID missing from tasklist. */
    public record Consumer(int pid, String image, List<String> services, int ports) {
        public Consumer {
            services = List.copyOf(services);
        }
    }

    public DynamicUsage {
        top = List.copyOf(top);
    }

    /**
     * The share in use, for people: one decimal, {@code .} as separator whatever the locale; the text
     * {@code String.format(Locale.ROOT, "%.1f%%", used * 100.0 / available)} gave (half up), computed in integers:
     * the formatter set up the JDK's locale data (CLDR providers, resource bundles) on every check's start-up path
     * for this one number (docs/startup.md).
     */
    public String percentText() {
        if (available == 0) {
            return "100%";
        }
        // used * 1000 / available, rounded half up; exact, where the double could only be as close
        long tenths = (2000L * used + available) / (2L * available);
        return (tenths / 10) + "." + (tenths % 10) + "%";
    }

    /** The perfdata label: {@code ipv4_dynamic_used}. */
    public String label() {
        return family.label() + "_dynamic_used";
    }

    /** What the status line says when a threshold fired. */
    public String brief() {
        Threshold.Resolved fired = state == State.CRITICAL ? critical : warning;
        return family.label() + " dynamic ports " + used + " of " + available + " in use (" + percentText()
                + "), " + (state == State.CRITICAL ? "critical" : "warning") + " range " + fired.perfdata();
    }
}
