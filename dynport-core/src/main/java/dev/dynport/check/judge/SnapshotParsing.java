package dev.dynport.check.judge;

import dev.dynport.check.util.Text;
import dev.dynport.check.util.TextSource;
import java.io.UncheckedIOException;
import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.KeptPorts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceFacts;
import dev.dynport.check.model.ServiceStatus;
import dev.dynport.check.parse.NetstatParser;
import dev.dynport.check.parse.OutputFormatException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Runs each section's parser. A missing or unparseable section becomes a problem naming the command, the line
 * and the text, and its facts stay absent: the rules then judge only what was read, and the result can never
 * be OK (see {@link dev.dynport.check.model.State}).
 */
final class SnapshotParsing {
    /** How much of an offending input line a message quotes. */
    private static final int SHOWN = 60;
    private SnapshotParsing() {
    }

    /**
     * @param notes optional sections that were present but unreadable: judged without them, which keeps every
     *     profile port judged (they only ever show a port is not in use), so the verdict stays conservative
     */
    record Parsed(HostFacts facts, List<String> problems, List<String> notes, boolean netstatRead,
            boolean tasklistRead) {
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws OutputFormatException;
    }

    /** Keeps every netstat row: for tests and callers that judge nothing. */
    static Parsed parse(Snapshot snapshot) {
        return parse(snapshot, Set.of(), true);
    }

    /**
     * @param ports the netstat rows kept besides the listeners: those on these local ports (see
     *     {@link NetstatTable}); {@link #coverNetstat} adds ports later
     */
    static Parsed parse(Snapshot snapshot, Set<Integer> ports) {
        return parse(snapshot, ports, false);
    }

    /**
     * The platform whose sections the snapshot holds, or a problem: a snapshot with the sections of two platforms
     * (two captures run together, or a file put together by hand) or of none describes no one host.
     */
    record Origin(Platform platform, String problem) {
    }

    static Origin platformOf(Snapshot snapshot) {
        Map<Platform, List<String>> seen = new EnumMap<>(Platform.class);
        // By presence only: reading the sections' text here would read a streamed netstat section once more.
        for (Section s : Section.values()) {
            if (snapshot.has(s)) {
                List<String> names = seen.get(s.platform());
                if (names == null) {
                    names = new ArrayList<>();
                    seen.put(s.platform(), names);
                }
                names.add(s.sectionName());
            }
        }
        if (seen.size() == 1) {
            return new Origin(seen.keySet().iterator().next(), null);
        }
        if (seen.isEmpty()) {
            return new Origin(null, "the snapshot holds no section, so neither Windows nor Linux outputs: nothing"
                    + " to judge");
        }
        return new Origin(null, "the snapshot holds Windows sections " + seen.get(Platform.WINDOWS)
                + " and Linux sections " + seen.get(Platform.LINUX) + ": one capture describes one host, so which"
                + " host these are cannot be told; capture each host into its own file");
    }

    private static Parsed parse(Snapshot snapshot, Set<Integer> ports, boolean everyPort) {
        IntPredicate keep = everyPort ? KeptPorts.EVERY : KeptPorts.of(ports);
        Origin origin = platformOf(snapshot);
        if (origin.platform() == null) {
            HostFacts none = new HostFacts(Map.of(), Map.of(), new NetstatTable(List.of()), new ProcessTable(List.of()));
            return new Parsed(none, List.of(origin.problem()), List.of(), false, false);
        }
        if (origin.platform() == Platform.LINUX) {
            return LinuxFacts.parse(snapshot, keep);
        }
        List<String> problems = new ArrayList<>();
        Map<Family, DynamicRange> ranges = new EnumMap<>(Family.class);
        Map<Family, ExcludedRanges> exclusions = new EnumMap<>(Family.class);
        put(ranges, Family.IPV4, parse(snapshot, Section.DYNAMICPORT_TCP_IPV4, SectionParsers.DYNAMIC_PORTS, problems));
        put(ranges, Family.IPV6, parse(snapshot, Section.DYNAMICPORT_TCP_IPV6, SectionParsers.DYNAMIC_PORTS, problems));
        put(exclusions, Family.IPV4, parse(snapshot, Section.EXCLUDED_TCP_IPV4, SectionParsers.EXCLUSIONS, problems));
        put(exclusions, Family.IPV6, parse(snapshot, Section.EXCLUDED_TCP_IPV6, SectionParsers.EXCLUSIONS, problems));
        NetstatTable netstat = parseStream(snapshot, Section.NETSTAT, keep, problems);
        ProcessTable processes = parse(snapshot, Section.TASKLIST, SectionParsers.TASKLIST, problems);
        List<String> notes = new ArrayList<>();
        BackendSettings settings = optional(snapshot, Section.EXCHANGE_POPIMAP_SETTINGS, SectionParsers.SETTINGS,
                notes);
        Map<String, ServiceConfig> configs = new HashMap<>();
        Map<String, ServiceStatus> statuses = new HashMap<>();
        for (Section section : Section.values()) {
            String service = section.service().orElse(null);
            if (section.isServiceConfig()) {
                ServiceConfig c = optional(snapshot, section, new SectionParsers.ScQc(service), notes);
                if (c != null) {
                    configs.put(service, c);
                }
            } else if (section.isServiceStatus()) {
                ServiceStatus st = optional(snapshot, section, new SectionParsers.ScQueryEx(service), notes);
                if (st != null) {
                    statuses.put(service, st);
                }
            }
        }
        HostFacts facts = new HostFacts(ranges, exclusions,
                netstat == null ? new NetstatTable(List.of()) : netstat,
                processes == null ? new ProcessTable(List.of()) : processes,
                new ServiceFacts(configs, statuses), settings == null ? BackendSettings.NONE : settings);
        return new Parsed(facts, problems, notes, netstat != null, processes != null);
    }

    /**
     * The facts with a netstat table that covers every one of {@code ports} as well as the ports it covered: the
     * same section read again with the larger set when a port is missing (a port discovery or the back-end
     * evidence added), so the rules never read a port whose rows were dropped. The first reading accepted this
     * text, so reading it again cannot refuse it; a snapshot file that changed or vanished since cannot be read
     * again: then the table is empty (nothing read, every port covered), and {@code problems} says why, so the
     * verdict is UNKNOWN.
     */
    static HostFacts coverNetstat(Snapshot snapshot, HostFacts facts, Set<Integer> ports, List<String> problems) {
        NetstatTable first = facts.netstat();
        if (coversAll(first, ports)) {
            return facts;
        }
        if (facts.platform() == Platform.LINUX) {
            return LinuxFacts.cover(snapshot, facts, KeptPorts.widen(first, ports));
        }
        TextSource text = snapshot.text(Section.NETSTAT).orElseThrow();
        NetstatTable table;
        try {
            table = NetstatParser.parse(text, KeptPorts.widen(first, ports));
        } catch (OutputFormatException e) {
            throw new IllegalStateException("netstat section read once and refused the second time", e);
        } catch (UncheckedIOException e) {
            problems.add(unreadable(Section.NETSTAT, e) + " (read again for the ports found later)");
            table = new NetstatTable(List.of());
        }
        return facts.withNetstat(table);
    }

    private static boolean coversAll(NetstatTable table, Set<Integer> ports) {
        for (int port : ports) {
            if (!table.covers(port)) {
                return false;
            }
        }
        return true;
    }

    private static String unreadable(Section section, UncheckedIOException e) {
        return "output of '" + section.commandLine() + "' could not be read: " + e.getCause().getMessage();
    }

    /** An optional section: absent gives null; unreadable gives null and a note naming it. */
    private static <T> T optional(Snapshot snapshot, Section section, Parser<T> parser, List<String> notes) {
        if (!snapshot.has(section)) {
            return null;
        }
        List<String> refused = new ArrayList<>();
        T value = parse(snapshot, section, parser, refused);
        for (String r : refused) {
            notes.add("section " + section.sectionName() + " not used, " + r);
        }
        return value;
    }

    private static <T> void put(Map<Family, T> map, Family family, T value) {
        if (value != null) {
            map.put(family, value);
        }
    }

    static <T> T parse(Snapshot snapshot, Section section, Parser<T> parser, List<String> problems) {
        String text = snapshot.section(section).orElse(null);
        if (text == null) {
            problems.add("section " + section.sectionName() + " missing: no output of '" + section.commandLine() + "'");
            return null;
        }
        try {
            return parser.parse(text);
        } catch (OutputFormatException e) {
            problems.add(describe(section, e));
            return null;
        } catch (RuntimeException e) {
            // A parser bug must still end as UNKNOWN naming the section, never as a stack trace or an OK.
            problems.add("output of '" + section.commandLine() + "' could not be read: internal error "
                    + e.getClass().getSimpleName());
            return null;
        }
    }

    private static NetstatTable parseStream(Snapshot snapshot, Section section, IntPredicate keep,
            List<String> problems) {
        TextSource text = snapshot.text(section).orElse(null);
        if (text == null) {
            problems.add("section " + section.sectionName() + " missing: no output of '" + section.commandLine() + "'");
            return null;
        }
        try {
            return NetstatParser.parse(text, keep);
        } catch (OutputFormatException e) {
            problems.add(describe(section, e));
            return null;
        } catch (UncheckedIOException e) {
            problems.add(unreadable(section, e));
            return null;
        } catch (RuntimeException e) {
            // A parser bug must still end as UNKNOWN naming the section, never as a stack trace or an OK.
            problems.add("output of '" + section.commandLine() + "' could not be read: internal error "
                    + e.getClass().getSimpleName());
            return null;
        }
    }

    static String describe(Section section, OutputFormatException e) {
        StringBuilder sb = new StringBuilder("output of '").append(section.commandLine()).append("' ");
        if (e.line() > 0) {
            sb.append("line ").append(e.line()).append(": ");
        } else {
            sb.append("is wrong: ");
        }
        sb.append(e.reason());
        String text = e.offendingText().strip();
        if (!text.isEmpty()) {
            text = Text.clip(text, SHOWN);
            sb.append(" [").append(text).append(']');
        }
        return sb.toString();
    }
}
