package dev.dynport.check.cli;

import dev.dynport.check.judge.Threshold;
import dev.dynport.check.judge.UsageThresholds;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code -w/--warning}, {@code -c/--critical}: Monitoring Plugins ranges on the dynamic port usage of each family
 * (docs/usage.md). Without them usage is reported but never changes the state.
 */
final class UsageArguments {
    static final String WARNING = "warning";
    static final String CRITICAL = "critical";

    private UsageArguments() {
    }

    static void addOptions(Options o) {
        o.addOption(Option.builder("w").longOpt(WARNING).hasArg().argName("RANGE")
                .desc("WARNING when a family's dynamic ports in use are outside RANGE (Monitoring Plugins ranges:"
                        + " 10 = over 10, 10: = under 10, ~:10, 10:20, @10:20 = inside; a bound may be a percentage"
                        + " of the available ports: 80%)").build());
        o.addOption(Option.builder("c").longOpt(CRITICAL).hasArg().argName("RANGE")
                .desc("CRITICAL likewise (e.g. -w 80% -c 95%)").build());
    }

    static UsageThresholds fromCommandLine(CommandLine cl) throws UsageException {
        return new UsageThresholds(threshold(cl, "w", WARNING), threshold(cl, "c", CRITICAL));
    }

    private static Threshold threshold(CommandLine cl, String shortName, String longName) throws UsageException {
        if (!cl.hasOption(longName)) {
            return null;
        }
        String value = cl.getOptionValue(longName);
        try {
            return Threshold.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("-" + shortName + "/--" + longName + " [" + Arguments.printable(value) + "] "
                    + e.getMessage());
        }
    }
}
