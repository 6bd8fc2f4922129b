package dev.dynport.check.judge;

/**
 * {@code -w/--warning} and {@code -c/--critical} on the dynamic port usage of each family. Without either, usage
 * is measured and reported (perfdata, long output, JSON) but never changes the state.
 *
 * @param warning null when not given
 * @param critical null when not given
 */
public record UsageThresholds(Threshold warning, Threshold critical) {
    public static final UsageThresholds NONE = new UsageThresholds(null, null);

    public boolean any() {
        return warning != null || critical != null;
    }
}
