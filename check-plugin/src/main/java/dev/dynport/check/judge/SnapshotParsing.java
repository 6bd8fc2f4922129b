package dev.dynport.check.judge;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.parse.DynamicPortParser;
import dev.dynport.check.parse.ExcludedPortRangeParser;
import dev.dynport.check.parse.NetstatParser;
import dev.dynport.check.parse.OutputFormatException;
import dev.dynport.check.parse.TasklistSvcCsvParser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each section's parser. A missing or unparseable section becomes a problem naming the command, the line
 * and the text, and its facts stay absent: the rules then judge only what was read, and the result can never
 * be OK (see {@link dev.dynport.check.model.State}).
 */
final class SnapshotParsing {
    private SnapshotParsing() {
    }

    record Parsed(HostFacts facts, List<String> problems, boolean netstatRead, boolean tasklistRead) {
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text) throws OutputFormatException;
    }

    static Parsed parse(Snapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Map<Family, DynamicRange> ranges = new EnumMap<>(Family.class);
        Map<Family, ExcludedRanges> exclusions = new EnumMap<>(Family.class);
        put(ranges, Family.IPV4, parse(snapshot, Section.DYNAMICPORT_TCP_IPV4, DynamicPortParser::parse, problems));
        put(ranges, Family.IPV6, parse(snapshot, Section.DYNAMICPORT_TCP_IPV6, DynamicPortParser::parse, problems));
        put(exclusions, Family.IPV4, parse(snapshot, Section.EXCLUDED_TCP_IPV4, ExcludedPortRangeParser::parse, problems));
        put(exclusions, Family.IPV6, parse(snapshot, Section.EXCLUDED_TCP_IPV6, ExcludedPortRangeParser::parse, problems));
        NetstatTable netstat = parse(snapshot, Section.NETSTAT, NetstatParser::parse, problems);
        ProcessTable processes = parse(snapshot, Section.TASKLIST, TasklistSvcCsvParser::parse, problems);
        HostFacts facts = new HostFacts(ranges, exclusions,
                netstat == null ? new NetstatTable(List.of()) : netstat,
                processes == null ? new ProcessTable(List.of()) : processes);
        return new Parsed(facts, problems, netstat != null, processes != null);
    }

    private static <T> void put(Map<Family, T> map, Family family, T value) {
        if (value != null) {
            map.put(family, value);
        }
    }

    private static <T> T parse(Snapshot snapshot, Section section, Parser<T> parser, List<String> problems) {
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
            if (text.length() > 60) {
                text = text.substring(0, 60) + "...";
            }
            sb.append(" [").append(text).append(']');
        }
        return sb.toString();
    }
}
