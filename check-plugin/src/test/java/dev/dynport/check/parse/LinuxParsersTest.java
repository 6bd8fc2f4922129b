package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.SocketsAndProcesses;
import dev.dynport.check.model.TcpEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux parsers over the fixtures of {@code fixtures/linux/*}: real outputs captured on this project's Debian 12
 * machine (see fixtures/linux/SOURCES.md) and constructed edge cases.
 */
@ExtendWith(HostileLocales.class)
class LinuxParsersTest {
    static Stream<Arguments> portRange() {
        return HostileLocales.cross(Fixtures.load("linux/port-range"));
    }

    static Stream<Arguments> reservedPorts() {
        return HostileLocales.cross(Fixtures.load("linux/reserved-ports"));
    }

    static Stream<Arguments> ss() {
        return HostileLocales.cross(Fixtures.load("linux/ss"));
    }

    static Stream<Arguments> procNetTcp() {
        return HostileLocales.cross(Fixtures.load("linux/proc-net-tcp"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("portRange")
    void readsEveryPortRangeFixture(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(LinuxPortRangeParser.COMMAND, () -> LinuxPortRangeParser.parse(f.text()));
            return;
        }
        assertEquals(new DynamicRange(Integer.parseInt(x.one("start")), Integer.parseInt(x.one("count"))),
                LinuxPortRangeParser.parse(f.text()));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("reservedPorts")
    void readsEveryReservedPortsFixture(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(LinuxReservedPortsParser.COMMAND, () -> LinuxReservedPortsParser.parse(f.text()));
            return;
        }
        ExcludedRanges r = LinuxReservedPortsParser.parse(f.text());
        assertTrue(r.ranges().stream().allMatch(ExcludedRange::administered), "every reservation is an admin's");
        assertEquals(x.one("ranges"), r.ranges().isEmpty() ? "none" : r.ranges().stream()
                .map(e -> e.start() == e.end() ? "" + e.start() : e.start() + "-" + e.end())
                .collect(Collectors.joining(",")));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("ss")
    void readsEverySsFixture(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(LinuxSsParser.COMMAND, () -> LinuxSsParser.parse(f.text()));
            return;
        }
        SocketsAndProcesses s = LinuxSsParser.parse(f.text());
        assertTable(s.netstat(), x);
        assertEquals(Set.copyOf(x.all("process")), s.processes().processes().stream()
                .map(p -> p.pid() + " " + p.image()).collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("procNetTcp")
    void readsEveryProcNetTcpFixture(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        Expectation x = f.expect();
        Family family = Family.valueOf(x.one("family").toUpperCase(Locale.ROOT));
        if (x.error()) {
            x.assertFails(ProcNetTcpParser.command(family), () -> ProcNetTcpParser.parse(f.text(), family));
            return;
        }
        assertTable(ProcNetTcpParser.parse(f.text(), family), x);
    }

    private static void assertTable(NetstatTable table, Expectation x) {
        assertEquals(Integer.parseInt(x.one("endpoints")), table.tcpRows(), "endpoints");
        assertEquals(Integer.parseInt(x.one("listeners")), table.listeners().size(), "listeners");
        List<String> rows = table.endpoints().stream().map(LinuxParsersTest::row).toList();
        for (String expected : x.all("row")) {
            assertTrue(rows.contains(expected), () -> "no row [" + expected + "] in " + rows);
        }
    }

    static String row(TcpEndpoint e) {
        return e.family().label() + " " + e.localAddress() + " " + e.localPort() + " " + e.state() + " " + e.pid();
    }

    @Test
    void ssRefusesAnEmptyOutputBecauseAFailedRunLooksTheSame() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> LinuxSsParser.parse(""));
        assertEquals("ss -tanpH: empty output", e.getMessage());
    }

    @Test
    void ssKeepsListenersAndOnlyTheRowsOfKeptPorts() throws Exception {
        String text = "LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=812,fd=3))\n"
                + "ESTAB 0 0 10.0.0.5:22 10.0.0.9:50000 users:((\"sshd\",pid=900,fd=4))\n"
                + "ESTAB 0 0 10.0.0.5:41000 10.0.0.9:443 users:((\"curl\",pid=901,fd=4))\n";
        NetstatTable t = LinuxSsParser.parse(text, p -> p == 41000).netstat();
        assertEquals(3, t.tcpRows());
        assertEquals(List.of("ipv4 0.0.0.0 22 LISTENING 812", "ipv4 10.0.0.5 41000 ESTABLISHED 901"),
                t.endpoints().stream().map(LinuxParsersTest::row).toList());
        assertThrows(IllegalStateException.class, () -> t.onLocalPort(22, Family.IPV4));
    }

    @Test
    void reservedPortsMessageNamesTheItem() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> LinuxReservedPortsParser.parse("9100,x\n"));
        assertEquals("cat /proc/sys/net/ipv4/ip_local_reserved_ports: line 1: item [x] is not a port or a range a-b"
                + " of ports from 0 to 65535 [9100,x]", e.getMessage());
    }

    @Test
    void ipv6TextIsTheShortForm() {
        int[] b = new int[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = 0xb8;
        b[15] = 5;
        assertEquals("2001:db8::5", ProcNetTcpParser.ipv6(b));
        assertEquals("::", ProcNetTcpParser.ipv6(new int[16]));
    }

    @Test
    void reservedPortsReadTheLongestListTheKernelPrints() throws Exception {
        // every odd port: 32768 single ports, no two adjacent, about 190 KB on one line
        StringBuilder sb = new StringBuilder();
        for (int p = 1; p <= 65535; p += 2) {
            sb.append(sb.length() == 0 ? "" : ",").append(p);
        }
        ExcludedRanges r = LinuxReservedPortsParser.parse(sb.append('\n').toString());
        assertEquals(32768, r.ranges().size());
        assertEquals(new ExcludedRange(65535, 65535, true), r.ranges().get(32767));
    }
}
