package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.State;
import dev.dynport.check.render.NagiosText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Linux snapshots judged by the same rules: findings, owners, platform choice and the sysctl remediation. */
class LinuxJudgeTest {
    static final String RANGE = "32768\t60999\n";
    static final String LISTENER = "LISTEN 0 128 0.0.0.0:40000 0.0.0.0:* users:((\"myapp\",pid=500,fd=3))\n"
            + "LISTEN 0 128 [::]:22 [::]:* users:((\"sshd\",pid=400,fd=4))\n";

    static Snapshot linux(String reserved, String ss) throws Exception {
        String text = "#@section linux-ip_local_port_range\n" + RANGE
                + "#@section linux-ip_local_reserved_ports\n" + reserved
                + (ss == null ? "" : "#@section linux-ss-tanpH\n" + ss);
        return SnapshotReader.read(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, "test");
    }

    static CheckOptions watching(String... specs) {
        List<WatchedPort> ports = java.util.Arrays.stream(specs).map(s -> {
            String[] p = s.split(":");
            return new WatchedPort(Integer.parseInt(p[0]), "app", p.length > 1 ? List.of(p[1]) : List.of(),
                    WatchedPort.Origin.USER);
        }).toList();
        // the CLI's default profile: it must not be applied to a Linux host
        return new CheckOptions(Profile.EXCHANGE_POPIMAP, ports, State.WARNING, false);
    }

    @Test
    void aListenerInsideTheRangeIsExposedAndItsOwnerNamed() throws Exception {
        CheckResult r = DynportCheck.judge(linux("\n", LISTENER), watching("40000:myapp"));
        assertEquals(State.WARNING, r.state(), r.summary());
        assertEquals(Platform.LINUX, r.evidence().platform());
        PortReport port = r.ports().get(0);
        assertEquals(40000, port.port().port());
        assertEquals("40000/tcp app (ipv4) is inside net.ipv4.ip_local_port_range 32768-60999 and not in"
                + " net.ipv4.ip_local_reserved_ports", port.findings(Family.IPV4).get(0).text());
        assertTrue(port.holders().stream().anyMatch(h -> h.owner() && h.image().equals("myapp") && h.pid() == 500));
        assertEquals(List.of("sysctl -w net.ipv4.ip_local_reserved_ports=40000",
                "echo 'net.ipv4.ip_local_reserved_ports = 40000' > /etc/sysctl.d/90-dynport-reserved-ports.conf"),
                r.remediation());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("profile exchange-popimap (Exchange on Windows) not"
                + " applied")), r.notes().toString());
        String all = String.join("\n", r.notes()) + NagiosText.render(r, true);
        assertFalse(all.contains("netsh") || all.contains("KB2665809") || all.contains("winnat"), all);
    }

    @Test
    void theSysctlLineKeepsTheReservationsTheHostHas() throws Exception {
        CheckResult r = DynportCheck.judge(linux("9100,40001-40002,50000\n", LISTENER), watching("40000:myapp"));
        assertEquals("sysctl -w net.ipv4.ip_local_reserved_ports=9100,40000-40002,50000", r.remediation().get(0));
    }

    @Test
    void aReservedPortIsProtected() throws Exception {
        CheckResult r = DynportCheck.judge(linux("9100,40000\n", LISTENER), watching("40000:myapp"));
        assertEquals(State.OK, r.state(), r.summary());
        assertEquals(FindingCode.PROTECTED, r.ports().get(0).findings(Family.IPV6).get(0).code());
        assertEquals("40000/tcp app (ipv4) is reserved in net.ipv4.ip_local_reserved_ports (40000)",
                r.ports().get(0).findings(Family.IPV4).get(0).text());
        assertEquals(List.of(), r.remediation());
    }

    @Test
    void anotherProcessUsingThePortAsSourcePortIsCritical() throws Exception {
        String ss = "ESTAB 0 0 10.0.0.5:40000 10.0.0.9:443 users:((\"curl\",pid=901,fd=4))\n" + LISTENER.substring(
                LISTENER.indexOf('\n') + 1);
        CheckResult r = DynportCheck.judge(linux("\n", ss), watching("40000:myapp"));
        assertEquals(State.CRITICAL, r.state(), r.summary());
        assertTrue(r.summary().contains("held by curl (PID 901)"), r.summary());
    }

    @Test
    void aListenerWhoseProcessSsDoesNotNameIsUnknownNeverNotListening() throws Exception {
        String ss = "LISTEN 0 128 *:40000 *:*\n";
        CheckOptions options = new CheckOptions(Profile.NONE, watching("40000:myapp").extraPorts(), State.WARNING, true);
        CheckResult r = DynportCheck.judge(linux("40000\n", ss), options);
        assertEquals(State.UNKNOWN, r.state(), r.summary());
        assertTrue(r.ports().get(0).findings().stream().noneMatch(f -> f.code() == FindingCode.NOT_LISTENING),
                r.ports().get(0).findings().toString());
        assertTrue(r.summary().contains("held by a process the capture does not name"), r.summary());
    }

    @Test
    void pid4IsAnOrdinaryProcessOnLinux() throws Exception {
        String ss = "ESTAB 0 0 10.0.0.5:40000 10.0.0.9:443 users:((\"java\",pid=4,fd=4))\n";
        CheckResult r = DynportCheck.judge(linux("\n", ss), watching("40000:myapp"));
        assertTrue(r.summary().contains("held by java (PID 4)"), r.summary());
    }

    @Test
    void aLinuxHostWithNothingToWatchIsUnknown() throws Exception {
        CheckResult r = DynportCheck.judge(linux("\n", LISTENER), watching());
        assertEquals(State.UNKNOWN, r.state());
        assertTrue(r.problems().get(0).startsWith("nothing to watch on a Linux host"), r.problems().toString());
    }

    @Test
    void withoutSsTheProcFilesAreReadAndHoldersAreUnknown() throws Exception {
        String text = "#@section linux-ip_local_port_range\n" + RANGE + "#@section linux-ip_local_reserved_ports\n\n"
                + "#@section linux-proc-net-tcp\n"
                + "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 00000000:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1051341 1 0 100 0 0 10 0\n"
                + "#@section linux-proc-net-tcp6\n"
                + "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Snapshot s = SnapshotReader.read(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, "proc");
        CheckResult r = DynportCheck.judge(s, watching("40000:myapp"));
        // exposed (WARNING) outranks UNKNOWN in State.worst; the holder itself is UNKNOWN, never "nobody"
        assertEquals(State.WARNING, r.state(), r.summary());
        assertTrue(r.ports().get(0).findings(Family.IPV4).stream().anyMatch(f -> f.code() == FindingCode.FOREIGN_HOLDER
                && f.state() == State.UNKNOWN && f.text().contains("held by a process the capture does not name")),
                r.ports().get(0).findings().toString());
        assertTrue(r.notes().contains(LinuxFacts.NO_SS), r.notes().toString());
    }

    @Test
    void aMissingSocketSectionIsUnknownNamingIt() throws Exception {
        CheckResult r = DynportCheck.judge(linux("40000\n", null), watching("40000:myapp"));
        assertEquals(State.UNKNOWN, r.state());
        assertTrue(r.problems().contains("section linux-ss-tanpH missing: no output of 'ss -tanpH' (nor of"
                + " /proc/net/tcp and /proc/net/tcp6)"), r.problems().toString());
    }

    @Test
    void aSnapshotWithWindowsAndLinuxSectionsIsRefusedNamingBoth() throws Exception {
        Snapshot l = linux("\n", LISTENER);
        Map<Section, String> both = new java.util.EnumMap<>(l.sections());
        both.put(Section.NETSTAT, "  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    888\r\n");
        CheckResult r = DynportCheck.judge(new Snapshot(new byte[0], both, "mixed"), watching("40000:myapp"));
        assertEquals(State.UNKNOWN, r.state());
        assertEquals("the snapshot holds Windows sections [netstat-ano] and Linux sections [linux-ip_local_port_range,"
                + " linux-ip_local_reserved_ports, linux-ss-tanpH]: one capture describes one host, so which host"
                + " these are cannot be told; capture each host into its own file", r.problems().get(0));
    }
}
