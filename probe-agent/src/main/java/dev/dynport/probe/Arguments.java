package dev.dynport.probe;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The command line of {@code dynport-probe}: {@code --config FILE [--validate-config] [--once]}, {@code -V}, {@code -h}. */
record Arguments(Path config, boolean validateOnly, boolean once, boolean help, boolean version) {

    /** A bad argument; the message is one line naming the bad value in brackets. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder("c").longOpt("config").hasArg().argName("FILE")
                .desc("agent configuration (JSON)").build());
        o.addOption(Option.builder().longOpt("validate-config")
                .desc("check the configuration, print a masked summary and exit").build());
        o.addOption(Option.builder().longOpt("once").desc("probe every target once, deliver the events and exit")
                .build());
        o.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        o.addOption(Option.builder("V").longOpt("version").desc("print the version and exit").build());
        return o;
    }

    static Arguments parse(String[] args) throws UsageException {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            throw new UsageException(oneLine(e));
        }
        if (cl.hasOption("help")) {
            return new Arguments(null, false, false, true, false);
        }
        if (cl.hasOption("version")) {
            return new Arguments(null, false, false, false, true);
        }
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument [" + cl.getArgList().get(0) + "]");
        }
        if (!cl.hasOption("config")) {
            throw new UsageException("missing --config FILE");
        }
        if (cl.hasOption("validate-config") && cl.hasOption("once")) {
            throw new UsageException("--validate-config and --once exclude each other");
        }
        String file = cl.getOptionValue("config");
        try {
            return new Arguments(Path.of(file), cl.hasOption("validate-config"), cl.hasOption("once"), false, false);
        } catch (InvalidPathException e) {
            throw new UsageException("--config is not a valid file path [" + file + "]");
        }
    }

    private static String oneLine(ParseException e) {
        if (e instanceof org.apache.commons.cli.UnrecognizedOptionException u) {
            return "unknown option [" + u.getOption() + "]";
        }
        if (e instanceof org.apache.commons.cli.MissingArgumentException m) {
            return "option --" + m.getOption().getLongOpt() + " needs a value";
        }
        if (e instanceof org.apache.commons.cli.AmbiguousOptionException a) {
            return "ambiguous option [" + a.getOption() + "]";
        }
        return e.getMessage().replace('\n', ' ');
    }

    static String usage() {
        var w = new java.io.StringWriter();
        var pw = new java.io.PrintWriter(w);
        HelpFormatter f = HelpFormatter.builder().get();
        f.printHelp(pw, 100, "dynport-probe --config FILE [--validate-config] [--once] | -V | -h",
                "SCOM-style probe for Exchange fixed ports in the Windows dynamic port range.", options(), 2, 2,
                "Exit codes: 0 ok, 3 bad arguments or configuration, 1 runtime failure.");
        pw.flush();
        return w.toString();
    }
}
