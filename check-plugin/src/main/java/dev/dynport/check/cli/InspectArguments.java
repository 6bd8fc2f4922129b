package dev.dynport.check.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code --audit} and {@code --explain PORT}: the two report modes beside the check. They read the same input
 * (--snapshot, --local, -H) and honour --profile/--port (ports that are fixed, never "dynamic by design"),
 * --max-age/--expect-host, -t and --format nagios|json. The check's judging options mean nothing to them and are
 * refused rather than ignored, so that nobody believes a threshold or state option shaped the report.
 */
final class InspectArguments {
    static final String AUDIT = "audit";
    static final String EXPLAIN = "explain";
    /** Long names of the check's options; an option another part adds later belongs here when it judges ports. */
    static final List<String> CHECK_ONLY = List.of("exposed-state", "expect-listening", BackendArguments.POP3,
            BackendArguments.IMAP4, BackendArguments.WATCH_UNUSED, "verbose", "warning", "critical");

    private InspectArguments() {
    }

    record Mode(Arguments.Action action, int port) {
    }

    static void addOptions(Options o) {
        o.addOption(Option.builder().longOpt(AUDIT).desc("list every listener exposed to the dynamic range or inside"
                + " a system reservation, by process (docs/audit.md); exit 0 unless the input is unreadable").build());
        o.addOption(Option.builder().longOpt(EXPLAIN).hasArg().argName("PORT").desc("say why PORT can or cannot be"
                + " bound, per family, with the fix (docs/audit.md)").build());
    }

    static Mode mode(CommandLine cl) throws UsageException {
        boolean audit = cl.hasOption(AUDIT);
        boolean explain = cl.hasOption(EXPLAIN);
        if (!audit && !explain) {
            return new Mode(Arguments.Action.CHECK, 0);
        }
        String value = explain ? cl.getOptionValue(EXPLAIN) : null;
        if (audit && explain) {
            throw new UsageException("give only one of --audit and --explain (given: --audit, --explain ["
                    + Arguments.printable(value) + "])");
        }
        String mode = audit ? "--audit" : "--explain";
        for (String name : CHECK_ONLY) {
            if (cl.hasOption(name)) {
                String given = cl.getOptionValue(name);
                throw new UsageException("--" + name + (given == null ? "" : " [" + Arguments.printable(given) + "]")
                        + " is an option of the check and means nothing to " + mode + ": leave one of them out");
            }
        }
        String format = cl.getOptionValue("format", "nagios");
        if (format.equalsIgnoreCase("nrpe")) {
            throw new UsageException("--format [" + Arguments.printable(format) + "] is for the check: " + mode
                    + " prints nagios or json");
        }
        if (audit) {
            return new Mode(Arguments.Action.AUDIT, 0);
        }
        int port = Arguments.number(value, 65535);
        if (port < 1) {
            throw new UsageException("--explain [" + Arguments.printable(value) + "]: PORT must be a number from 1"
                    + " to 65535");
        }
        return new Mode(Arguments.Action.EXPLAIN, port);
    }
}
