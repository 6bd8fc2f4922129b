package dev.dynport.check.cli;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.cli.AmbiguousOptionException;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * commons-cli's own messages ("Unrecognized option: --bogus", "Missing argument for option: snapshot") in the
 * plugin's style: one line, the offending word in brackets, the option written as the user types it.
 */
final class ParseErrors {
    private ParseErrors() {
    }

    static String message(ParseException e, Options options, String program) {
        if (e instanceof UnrecognizedOptionException u) {
            String given = u.getOption();
            return "[" + given + "] is not an option of " + program + abbreviationHint(given, options) + " (see --help)";
        }
        if (e instanceof MissingArgumentException m) {
            Option o = m.getOption();
            return name(o) + " needs a value: " + typed(o) + " " + (o.getArgName() == null ? "VALUE" : o.getArgName());
        }
        if (e instanceof AmbiguousOptionException a) {
            return "[" + a.getOption() + "] is ambiguous (" + a.getMatchingOptions().stream().sorted()
                    .map(s -> "--" + s).collect(Collectors.joining(", ")) + "): give the whole option name";
        }
        String m = e.getMessage();
        return m == null ? "bad arguments (see --help)" : m.replace('\n', ' ').replace('\r', ' ');
    }

    /** Abbreviations are refused, not guessed; naming the options the prefix would fit saves a trip to --help. */
    private static String abbreviationHint(String given, Options options) {
        if (!given.startsWith("--") || given.length() < 3) {
            return "";
        }
        String prefix = given.substring(2).split("=", 2)[0].toLowerCase(Locale.ROOT);
        Collection<Option> all = options.getOptions();
        List<String> fits = all.stream().map(Option::getLongOpt)
                .filter(l -> l != null && l.startsWith(prefix) && !l.equals(prefix)).sorted().map(l -> "--" + l)
                .toList();
        return fits.isEmpty() ? "" : "; options are not abbreviated: " + String.join(" or ", fits) + "?";
    }

    /** {@code -H/--hostname} or {@code --snapshot}, as --help lists it. */
    static String name(Option o) {
        if (o.getOpt() == null) {
            return "--" + o.getLongOpt();
        }
        return o.getLongOpt() == null ? "-" + o.getOpt() : "-" + o.getOpt() + "/--" + o.getLongOpt();
    }

    private static String typed(Option o) {
        return o.getLongOpt() != null ? "--" + o.getLongOpt() : "-" + o.getOpt();
    }
}
