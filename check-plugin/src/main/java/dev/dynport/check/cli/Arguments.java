package dev.dynport.check.cli;

import dev.dynport.check.acquire.CodePages;
import dev.dynport.check.acquire.LinuxLocalSource;
import dev.dynport.check.acquire.LocalCommandSource;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.acquire.SshSource;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.Freshness;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.State;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The parsed command line: what to read, what to judge, how to print. */
record Arguments(
        Action action,
        SnapshotSource source,
        CheckOptions checkOptions,
        Duration timeout,
        State unreachableState,
        Path saveSnapshot,
        boolean verbose,
        Format format,
        Freshness freshness,
        int explainPort) {

    /** AUDIT and EXPLAIN are the report modes ({@link InspectArguments}); {@code explainPort} is 0 for the others. */
    enum Action { CHECK, HELP, VERSION, AUDIT, EXPLAIN }

    enum Format { NAGIOS, JSON, NRPE }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final String DEFAULT_CHARSET = "IBM850";

    static Options options() {
        Options o = new Options();
        o.addOption("h", "help", false, "print this help and exit");
        o.addOption("V", "version", false, "print the version and exit");
        o.addOption("v", "verbose", false, "add the parsed evidence to the long output");
        o.addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS")
                .desc("bound for the whole check; UNKNOWN past it (default " + DEFAULT_TIMEOUT.toSeconds() + ")").build());
        o.addOption(Option.builder().longOpt("snapshot").hasArg().argName("FILE")
                .desc("read a snapshot captured by capture-snapshot.cmd or --save-snapshot").build());
        o.addOption(Option.builder().longOpt("local").desc("run the commands on this host (Windows, or Linux:"
                + " docs/linux.md)").build());
        o.addOption(Option.builder().longOpt("charset").hasArg().argName("NAME")
                .desc("OEM code page of non-UTF-8 output (default " + DEFAULT_CHARSET + "; e.g. IBM437, 932, 936)").build());
        o.addOption(Option.builder().longOpt("save-snapshot").hasArg().argName("FILE")
                .desc("write what the host printed, byte for byte, to FILE").build());
        o.addOption(Option.builder().longOpt("unreachable-state").hasArg().argName("STATE")
                .desc("state when the host cannot be reached: unknown (default), critical or warning").build());
        o.addOption(Option.builder().longOpt("profile").hasArg().argName("NAME")
                .desc("watched ports: exchange-popimap (default), exchange, none; a Linux target takes none and"
                        + " needs --port").build());
        o.addOption(Option.builder().longOpt("port").hasArg().argName("PORT[:LABEL[:OWNER,...]]")
                .desc("also watch PORT; OWNER is a service or image name allowed to hold it (repeatable)").build());
        o.addOption(Option.builder().longOpt("exposed-state").hasArg().argName("STATE")
                .desc("state of a port exposed to the dynamic range: warning (default) or critical").build());
        o.addOption(Option.builder().longOpt("expect-listening")
                .desc("CRITICAL when no owner listens on a watched port").build());
        o.addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("nagios (default), json, or nrpe (status line and perfdata only, at most 1023 bytes: for"
                        + " check_nrpe/NSClient++ with NRPE v2's 1024-byte payload)").build());
        FreshnessArguments.addOptions(o);
        BackendArguments.addOptions(o);
        InspectArguments.addOptions(o);
        UsageArguments.addOptions(o);
        SshArguments.addOptions(o);
        return o;
    }

    /** Options that may be given more than once; every other option with a value is refused when repeated. */
    static final Set<String> REPEATABLE = Set.of("port", "identity");

    static Arguments parse(String[] args, Map<String, String> env, String osName) throws UsageException {
        CommandLine cl;
        Options options = options();
        try {
            // Exact option names only: a prefix (--snap, --unreachable) silently meaning another option is a guess.
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
        } catch (ParseException e) {
            throw new UsageException(ParseErrors.message(e, options, "check_dynport"));
        }
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument [" + cl.getArgList().get(0) + "]");
        }
        refuseRepeats(cl);
        if (cl.hasOption("help")) {
            return new Arguments(Action.HELP, null, null, null, null, null, false, Format.NAGIOS, Freshness.NONE, 0);
        }
        if (cl.hasOption("version")) {
            return new Arguments(Action.VERSION, null, null, null, null, null, false, Format.NAGIOS, Freshness.NONE, 0);
        }
        refuseSourceConflict(cl);
        InspectArguments.Mode mode = InspectArguments.mode(cl);
        Charset charset = charset(cl.getOptionValue("charset", DEFAULT_CHARSET));
        SnapshotSource source = source(cl, env, osName, charset);
        Map<String, Profile> profiles = new HashMap<>();
        for (Profile p : Profile.values()) {
            profiles.put(p.profileName(), p);
        }
        Profile profile = enumValue("--profile", cl.getOptionValue("profile", Profile.EXCHANGE_POPIMAP.profileName()),
                profiles);
        boolean linux = source instanceof LinuxLocalSource
                || source instanceof SshSource ssh && ssh.platform() == Platform.LINUX;
        if (linux) {
            // The Exchange profiles name Windows services and ports: a Linux target is judged on --port alone.
            if (cl.hasOption("profile") && profile != Profile.NONE) {
                throw new UsageException("--profile [" + cl.getOptionValue("profile") + "] is for Exchange on Windows;"
                        + " a Linux target watches the --port ports only (docs/linux.md)");
            }
            profile = Profile.NONE;
            if (!cl.hasOption("port") && !cl.hasOption("warning") && !cl.hasOption("critical")) {
                throw new UsageException("nothing to watch on a Linux target: give --port PORT[:LABEL[:PROCESS,...]]"
                        + " or -w/-c for the dynamic port usage (docs/linux.md)");
            }
        }
        List<WatchedPort> ports = new ArrayList<>();
        Map<Integer, String> specs = new HashMap<>();
        String[] given = cl.getOptionValues("port");
        for (String spec : given == null ? new String[0] : given) {
            WatchedPort port = portSpec(spec);
            String earlier = specs.putIfAbsent(port.port(), spec);
            if (earlier != null) {
                // Two labels or owner lists for one port: which one the user meant is a guess.
                throw new UsageException("--port [" + spec + "] repeats port " + port.port() + " (given as ["
                        + earlier + "]): give each port once");
            }
            ports.add(port);
        }
        State exposed = enumValue("--exposed-state", cl.getOptionValue("exposed-state", "warning"),
                Map.of("warning", State.WARNING, "critical", State.CRITICAL));
        // Never OK: a host that could not be read at all proves nothing about its ports.
        State unreachable = enumValue("--unreachable-state", cl.getOptionValue("unreachable-state", "unknown"),
                Map.of("unknown", State.UNKNOWN, "critical", State.CRITICAL, "warning", State.WARNING));
        Format format = enumValue("--format", cl.getOptionValue("format", "nagios"),
                Map.of("nagios", Format.NAGIOS, "json", Format.JSON, "nrpe", Format.NRPE));
        Duration timeout = timeout(cl.getOptionValue("timeout"));
        Path save = cl.hasOption("save-snapshot") ? SnapshotFile.saveTarget(cl.getOptionValue("save-snapshot")) : null;
        Freshness freshness = FreshnessArguments.fromCommandLine(cl);
        CheckOptions check = new CheckOptions(profile, ports, exposed, cl.hasOption("expect-listening"),
                BackendArguments.backendPorts(cl), cl.hasOption(BackendArguments.WATCH_UNUSED),
                UsageArguments.fromCommandLine(cl));
        if (check.watchesNothing() && mode.action() == Action.CHECK) {
            throw new UsageException("--profile [none] watches no port: add at least one --port, or -w/-c for the"
                    + " dynamic port usage");
        }
        return new Arguments(mode.action(), source, check, timeout, unreachable, save, cl.hasOption("verbose"), format,
                freshness, mode.port());
    }

    private static SnapshotSource source(CommandLine cl, Map<String, String> env, String osName, Charset charset)
            throws UsageException {
        Optional<SnapshotSource> ssh = SshArguments.fromCommandLine(cl, env, charset);
        if (cl.hasOption("snapshot")) {
            String file = cl.getOptionValue("snapshot");
            if (file.isEmpty()) {
                throw new UsageException("--snapshot [] is empty: give the path of a snapshot file");
            }
            return new SnapshotFileSource(Path.of(file), charset);
        }
        if (cl.hasOption("local")) {
            String seam = env.get(LocalCommandSource.SYSTEM32_SEAM);
            if ((seam == null || seam.isEmpty()) && osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return new LinuxLocalSource();
            }
            try {
                return LocalCommandSource.forEnvironment(charset, osName, env);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return ssh.get();
    }

    /**
     * Which input to read is the first question: when it has no single answer, a complaint about a detail of one of
     * the inputs (a missing SSH user, an unreadable key) sends the user to fix the wrong thing.
     */
    private static void refuseSourceConflict(CommandLine cl) throws UsageException {
        List<String> given = new ArrayList<>();
        if (cl.hasOption("snapshot")) {
            given.add("--snapshot [" + cl.getOptionValue("snapshot") + "]");
        }
        if (cl.hasOption("local")) {
            given.add("--local");
        }
        if (cl.hasOption(SshArguments.HOSTNAME)) {
            given.add("-H [" + cl.getOptionValue(SshArguments.HOSTNAME) + "]");
        }
        if (given.isEmpty()) {
            throw new UsageException("no input: give --snapshot FILE, --local or -H HOST (see --help)");
        }
        if (given.size() > 1) {
            throw new UsageException("give only one of --snapshot, --local and -H (given: " + String.join(", ", given)
                    + ")");
        }
    }

    static WatchedPort portSpec(String spec) throws UsageException {
        if (hasControlCharacter(spec)) {
            // The label goes into the status line: an escape sequence or line break there is not a label.
            throw new UsageException("--port [" + printable(spec)
                    + "] contains a control character");
        }
        String[] parts = spec.split(":", 3);
        int port = number(parts[0], 65535);
        if (port < 1) {
            throw new UsageException("--port [" + spec + "]: PORT must be a number from 1 to 65535");
        }
        String label = parts.length > 1 && !parts[1].isBlank() ? parts[1].strip() : "port " + port;
        List<String> owners = new ArrayList<>();
        if (parts.length > 2) {
            for (String owner : parts[2].split(",")) {
                if (!owner.isBlank()) {
                    owners.add(owner.strip());
                }
            }
        }
        if (parts.length > 2 && owners.isEmpty()) {
            throw new UsageException("--port [" + spec + "]: OWNER list is empty");
        }
        return new WatchedPort(port, label, List.copyOf(owners), WatchedPort.Origin.USER);
    }

    // Loops rather than lambdas and streams in this class: each one is linked on first use, at start-up, for one
    // pass over a few arguments (docs/startup.md).
    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The value with control characters as {@code ?}: it goes into a one-line message between brackets. */
    static String printable(String value) {
        return value.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }

    static Charset charset(String name) throws UsageException {
        Optional<Charset> charset = CodePages.forName(name);
        if (charset.isEmpty()) {
            throw new UsageException(
                    "--charset [" + name + "] is not a charset this Java knows (e.g. IBM850, IBM437, 932, 936)");
        }
        return charset.get();
    }

    private static Duration timeout(String value) throws UsageException {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        int seconds = number(value, 3600);
        if (seconds >= 1) {
            return Duration.ofSeconds(seconds);
        }
        throw new UsageException("--timeout [" + value + "] must be whole seconds from 1 to 3600");
    }

    /**
     * A number as users type it in a monitoring config: ASCII digits only, no sign, no blanks, at most {@code max}.
     * Integer.parseInt also takes '+9710' and Arabic-Indic or fullwidth digits, which no one means as a port.
     *
     * @return the value, or -1 when it is not such a number or above {@code max}
     */
    static int number(String value, int max) {
        if (value.isEmpty() || value.length() > 9) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= max ? n : -1;
    }

    private static void refuseRepeats(CommandLine cl) throws UsageException {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (Option o : cl.getOptions()) {
            if (o.hasArg() && !REPEATABLE.contains(o.getLongOpt())) {
                String name = (o.getOpt() == null ? "" : "-" + o.getOpt() + "/") + "--" + o.getLongOpt();
                given.putIfAbsent(name, new ArrayList<>());
                given.get(name).add(o.getValue());
            }
        }
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new UsageException(e.getKey() + " is given " + e.getValue().size() + " times ["
                        + String.join("] [", e.getValue()) + "]: give it once");
            }
        }
    }

    private static <T> T enumValue(String option, String value, Map<String, T> allowed) throws UsageException {
        T t = allowed.get(value.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new UsageException(option + " [" + value + "] must be one of "
                    + String.join(", ", new TreeSet<>(allowed.keySet())));
        }
        return t;
    }
}
