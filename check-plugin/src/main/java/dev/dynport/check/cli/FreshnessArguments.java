package dev.dynport.check.cli;

import dev.dynport.check.judge.Freshness;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code --max-age} and {@code --expect-host}: how old a snapshot may be and which host it must come from. */
final class FreshnessArguments {
    private FreshnessArguments() {
    }

    static void addOptions(Options o) {
        o.addOption(Option.builder().longOpt("max-age").hasArg().argName("DURATION")
                .desc("UNKNOWN when the snapshot was captured longer ago than DURATION (e.g. 90m, 26h, 2d)").build());
        o.addOption(Option.builder().longOpt("expect-host").hasArg().argName("NAME")
                .desc("UNKNOWN when the snapshot comes from another host (short name, case-insensitive)").build());
    }

    static Freshness fromCommandLine(CommandLine cl) throws UsageException {
        Duration maxAge = cl.hasOption("max-age") ? maxAge(cl.getOptionValue("max-age")) : null;
        String host = cl.hasOption("expect-host") ? host(cl.getOptionValue("expect-host")) : null;
        return new Freshness(maxAge, host);
    }

    static Duration maxAge(String value) throws UsageException {
        return Freshness.maxAge(value).orElseThrow(() -> new UsageException("--max-age [" + value + "] "
                + Freshness.MAX_AGE_RULE));
    }

    static String host(String value) throws UsageException {
        if (!Freshness.isHostName(value)) {
            throw new UsageException("--expect-host [" + Arguments.printable(value) + "] "
                    + Freshness.HOST_RULE);
        }
        return value;
    }
}
