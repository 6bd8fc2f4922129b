package dev.dynport.check.judge;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.PortTally;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.ServiceFacts;
import dev.dynport.check.model.SocketsAndProcesses;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.parse.LinuxPortRangeParser;
import dev.dynport.check.parse.LinuxReservedPortsParser;
import dev.dynport.check.parse.LinuxSsParser;
import dev.dynport.check.parse.ProcNetTcpParser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A Linux snapshot onto the model the rules judge ({@link HostFacts}):
 * <ul>
 * <li>{@code ip_local_port_range} is the dynamic range of both families: there is no IPv6 counterpart in
 *     Documentation/networking/ip-sysctl.rst, and the kernel's IPv6 connect path (inet6_hash_connect) allocates
 *     through the same __inet_hash_connect and per-namespace range as IPv4;</li>
 * <li>every {@code ip_local_reserved_ports} entry is an administered exclusion of both families (the same
 *     allocator consults the one bitmap), so a reserved watched port is PROTECTED; Linux has no system
 *     reservations, so SYSTEM_RESERVED never arises;</li>
 * <li>the sockets and the process table come from {@code ss -tanpH}; owners are process names ({@code comm}),
 *     not systemd units: ss prints no unit, and reading {@code /proc/PID/cgroup} for each PID would be a second
 *     capture that a process can leave between the two reads;</li>
 * <li>without ss, {@code /proc/net/tcp} and {@code tcp6}: no process is named, so every holder of a watched port
 *     other than a TIME_WAIT socket is reported UNKNOWN (with a note saying why).</li>
 * </ul>
 */
final class LinuxFacts {
    static final String NO_SS = "ss is not installed on the host (package iproute2), so /proc/net/tcp was read,"
            + " which names no process: every holder of a watched port is UNKNOWN";

    private LinuxFacts() {
    }

    static SnapshotParsing.Parsed parse(Snapshot snapshot, IntPredicate keep) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<Family, DynamicRange> ranges = new EnumMap<>(Family.class);
        Map<Family, ExcludedRanges> exclusions = new EnumMap<>(Family.class);
        DynamicRange range = SnapshotParsing.parse(snapshot, Section.LINUX_PORT_RANGE, LinuxPortRangeParser::parse,
                problems);
        ExcludedRanges reserved = SnapshotParsing.parse(snapshot, Section.LINUX_RESERVED_PORTS,
                LinuxReservedPortsParser::parse, problems);
        for (Family family : Family.values()) {
            if (range != null) {
                ranges.put(family, range);
            }
            if (reserved != null) {
                exclusions.put(family, reserved);
            }
        }
        SocketsAndProcesses sockets = sockets(snapshot, keep, problems, notes);
        HostFacts facts = new HostFacts(ranges, exclusions,
                sockets == null ? new NetstatTable(List.of()) : sockets.netstat(),
                sockets == null ? new ProcessTable(List.of()) : sockets.processes(),
                ServiceFacts.NONE, BackendSettings.NONE, Platform.LINUX);
        return new SnapshotParsing.Parsed(facts, problems, notes, sockets != null, sockets != null);
    }

    /** The facts with a socket table that also keeps the rows on the ports {@code keep} accepts. */
    static HostFacts cover(Snapshot snapshot, HostFacts facts, IntPredicate keep) {
        SocketsAndProcesses again = sockets(snapshot, keep, new ArrayList<>(), new ArrayList<>());
        if (again == null) {
            throw new IllegalStateException("socket sections read once and refused the second time");
        }
        return facts.withNetstat(again.netstat());
    }

    private static SocketsAndProcesses sockets(Snapshot snapshot, IntPredicate keep, List<String> problems,
            List<String> notes) {
        if (snapshot.has(Section.LINUX_SS)) {
            if (snapshot.has(Section.LINUX_PROC_NET_TCP)) {
                notes.add("sections linux-proc-net-tcp{,6} not read: ss names the processes, /proc/net/tcp does not");
            }
            return SnapshotParsing.parse(snapshot, Section.LINUX_SS, text -> LinuxSsParser.parse(text, keep), problems);
        }
        if (!snapshot.has(Section.LINUX_PROC_NET_TCP)
                && !snapshot.has(Section.LINUX_PROC_NET_TCP6)) {
            problems.add("section " + Section.LINUX_SS.sectionName() + " missing: no output of '"
                    + Section.LINUX_SS.commandLine() + "' (nor of /proc/net/tcp and /proc/net/tcp6)");
            return null;
        }
        NetstatTable v4 = SnapshotParsing.parse(snapshot, Section.LINUX_PROC_NET_TCP,
                text -> ProcNetTcpParser.parse(text, Family.IPV4, keep), problems);
        NetstatTable v6 = SnapshotParsing.parse(snapshot, Section.LINUX_PROC_NET_TCP6,
                text -> ProcNetTcpParser.parse(text, Family.IPV6, keep), problems);
        if (v4 == null || v6 == null) {
            return null;
        }
        notes.add(NO_SS);
        List<TcpEndpoint> kept = new ArrayList<>(v4.endpoints());
        kept.addAll(v6.endpoints());
        return new SocketsAndProcesses(new NetstatTable(kept, v4.tcpRows() + v6.tcpRows(), keep,
                PortTally.union(v4.tally(), v6.tally())),
                new ProcessTable(List.of()));
    }

}
