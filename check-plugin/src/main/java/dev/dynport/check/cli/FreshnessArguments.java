package dev.dynport.check.cli;

import dev.dynport.check.judge.Freshness;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code --max-age} and {@code --expect-host}: how old a snapshot may be and which host it must come from. */
final class FreshnessArguments {
    /** One whole number and one unit, as the agent's config writes durations (without its {@code ms}). */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(s|m|h|d)");
    static final Duration MAX_AGE_LIMIT = Duration.ofDays(3650);
    /** A host name as hostname prints it, or a fully qualified one: labels of letters, digits, '-' and '_'. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_-]{1,63}(\\.[A-Za-z0-9_-]{1,63}){0,126}");

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
        Matcher m = DURATION.matcher(value);
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (d == null || d.isZero() || d.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new UsageException("--max-age [" + value + "] must be a whole number and a unit s, m, h or d"
                    + " (e.g. 26h), from 1s to 3650d");
        }
        return d;
    }

    static String host(String value) throws UsageException {
        if (value.length() > 253 || !HOST.matcher(value).matches()) {
            throw new UsageException("--expect-host [" + value.replaceAll("[\\x00-\\x1f\\x7f]", "?")
                    + "] must be a host name (letters, digits, '-', '_', labels separated by dots)");
        }
        return value;
    }
}
