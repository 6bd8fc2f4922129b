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
            // Exact option names only: --conf meaning --config is a guess, and one day a second option may fit.
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options(), args);
        } catch (ParseException e) {
            throw new UsageException(oneLine(e));
        }
        String[] configs = cl.getOptionValues("config");
        if (configs != null && configs.length > 1) {
            // Which file the agent runs with must not depend on the order of a unit file's arguments.
            throw new UsageException("--config is given " + configs.length + " times [" + String.join("] [", configs)
                    + "]: give it once");
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

    /** commons-cli's messages in the agent's style; the caller appends "(see --help)". */
    private static String oneLine(ParseException e) {
        if (e instanceof org.apache.commons.cli.UnrecognizedOptionException u) {
            String given = u.getOption();
            String prefix = given.startsWith("--") ? given.substring(2).split("=", 2)[0] : "";
            String fits = prefix.isEmpty() ? "" : options().getOptions().stream().map(Option::getLongOpt)
                    .filter(l -> l != null && l.startsWith(prefix)).sorted().map(l -> "--" + l)
                    .collect(java.util.stream.Collectors.joining(" or "));
            return "[" + given + "] is not an option of dynport-probe"
                    + (fits.isEmpty() ? "" : "; options are not abbreviated: " + fits + "?");
        }
        if (e instanceof org.apache.commons.cli.MissingArgumentException m) {
            Option o = m.getOption();
            return "--" + o.getLongOpt() + " needs a value: --" + o.getLongOpt() + " " + o.getArgName();
        }
        if (e instanceof org.apache.commons.cli.AmbiguousOptionException a) {
            return "[" + a.getOption() + "] is ambiguous: give the whole option name";
        }
        return String.valueOf(e.getMessage()).replace('\n', ' ').replace('\r', ' ');
    }

    static String usage() {
        var w = new java.io.StringWriter();
        var pw = new java.io.PrintWriter(w);
        HelpFormatter f = HelpFormatter.builder().get();
        f.printHelp(pw, 100, "dynport-probe --config FILE [--validate-config] [--once] | -V | -h",
                "SCOM-style probe for Exchange fixed ports in the Windows dynamic port range.", options(), 2, 2,
                "Exit codes: 0 ok, 1 runtime failure, 2 (--once) a target could not be probed,"
                        + " 3 bad arguments or configuration.");
        pw.flush();
        return w.toString();
    }
}
